// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scm/scmcomparison.h"
#include "core/util/result.h"

#include <QFuture>
#include <QObject>

namespace cic {

// Compares two revisions of a repository: the commits the newer has that the older lacks
// (`git log older..newer`), newest first, and the files that differ between the merge base
// and the newer, with their patches.
class ScmCompareClient : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual QString name() const = 0;
    virtual QFuture<Result<ScmComparison>> compare(const ScmRepository &repository,
                                                   const QString &older, const QString &newer,
                                                   const ScmCompareOptions &options = {})
        = 0;
};

} // namespace cic
