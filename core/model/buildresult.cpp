// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/buildresult.h"

namespace cic {

QString resultName(BuildResult result)
{
    switch (result) {
    case BuildResult::Success:
        return QStringLiteral("SUCCESS");
    case BuildResult::Unstable:
        return QStringLiteral("UNSTABLE");
    case BuildResult::Building:
        return QStringLiteral("BUILDING");
    case BuildResult::Aborted:
        return QStringLiteral("ABORTED");
    case BuildResult::Failure:
        return QStringLiteral("FAILURE");
    case BuildResult::NotBuilt:
        return QStringLiteral("NOT_BUILT");
    }
    return {};
}

std::optional<BuildResult> parseResult(QStringView text)
{
    QString normal = text.trimmed().toString().toUpper();
    normal.replace(QLatin1Char('-'), QLatin1Char('_')).replace(QLatin1Char(' '), QLatin1Char('_'));

    for (BuildResult result : AllBuildResults) {
        if (normal == resultName(result))
            return result;
    }
    return std::nullopt;
}

std::optional<ResultSet> parseCompletionStatus(QStringView item)
{
    const QString word = item.trimmed().toString().toUpper();

    if (word == QLatin1String("INCOMPLETE"))
        return resultBit(BuildResult::Building);
    if (word == QLatin1String("SUCCEEDED"))
        return resultBit(BuildResult::Success) | resultBit(BuildResult::Unstable);
    if (word == QLatin1String("FAILED"))
        return resultBit(BuildResult::Failure);
    if (word == QLatin1String("ABORTED"))
        return resultBit(BuildResult::Aborted);

    if (const auto result = parseResult(item))
        return resultBit(*result);
    return std::nullopt;
}

} // namespace cic
