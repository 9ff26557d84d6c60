// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/service/cibuildservice.h"

#include "core/providers/buildids.h"

namespace cic {

QFuture<Result<BuildPtr>> CiBuildService::fetchBuild(const QString &id)
{
    const std::optional<buildids::Parts> parts = buildids::parse(id, name());
    if (!parts || parts->number > std::numeric_limits<qint32>::max())
        return QtFuture::makeReadyFuture(Result<BuildPtr>(BuildPtr()));

    BuildQuery query;
    query.source = name();
    query.project = parts->project;
    query.buildNumber = qint32(parts->number);
    return findBuilds(query).then(this, [id](Result<BuildList> found) -> Result<BuildPtr> {
        if (!found)
            return Error{found.error()};
        for (const BuildPtr &build : found.value()) {
            if (build && build->id == id)
                return build;
        }
        return BuildPtr();
    });
}

} // namespace cic
