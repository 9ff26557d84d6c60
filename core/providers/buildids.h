// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// Build ids that every provider makes the same way: `<source>-<project>-<number>`, where the
// project's '/' becomes '~' and every other character outside [A-Za-z0-9.-] is written as
// `_XX` (its UTF-8 bytes in hex; '_' itself is `__`). The id is then one path segment
// (`/ci/builds/{id}/output`), unique across sources, and a person can still read it:
//     main-jenkins-team~app-build-12
//     gitlab-group~sub~project-5001
//     main-jenkins-repo~feature_252Fx-3   (multibranch job "feature%2Fx")
namespace cic::buildids {

// Escapes one part (a source name, or a project path whose '/' separates levels).
QString escapePart(const QString &part);

QString make(const QString &source, const QString &project, qint64 number);

// What make() put in an id: the project and the number at its end.
struct Parts
{
    QString project;
    qint64 number = 0;
};

// The parts of an id that make() built for this source; nullopt for any other id.
std::optional<Parts> parse(const QString &id, const QString &source);

} // namespace cic::buildids
