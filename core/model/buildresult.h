// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace cic {

// igor's Result enum, in its declaration order.
enum class BuildResult { Success, Unstable, Building, Aborted, Failure, NotBuilt };

inline constexpr BuildResult AllBuildResults[] = {
    BuildResult::Success, BuildResult::Unstable, BuildResult::Building,
    BuildResult::Aborted, BuildResult::Failure,  BuildResult::NotBuilt,
};

// The wire name: SUCCESS, UNSTABLE, BUILDING, ABORTED, FAILURE, NOT_BUILT.
QString resultName(BuildResult result);

// Accepts the wire names in any case, and "not-built" or "not built" spellings.
std::optional<BuildResult> parseResult(QStringView text);

// A bit per result, so a filter of several results is one integer.
using ResultSet = unsigned;
constexpr ResultSet resultBit(BuildResult result) { return 1u << static_cast<unsigned>(result); }
constexpr ResultSet AnyResult = (1u << 6) - 1;

// One item of a completionStatus list: keel's words (INCOMPLETE, SUCCEEDED, FAILED,
// ABORTED) or a result name. SUCCEEDED counts UNSTABLE too, as keel's build lifecycle
// treats an unstable build as succeeded.
std::optional<ResultSet> parseCompletionStatus(QStringView item);

} // namespace cic
