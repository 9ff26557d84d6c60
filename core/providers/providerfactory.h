// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include "core/config/secret.h"
#include "core/service/cibuildservice.h"

#include <functional>

namespace cic {

// A source the configuration names but that could not be built: which one, and why.
struct SourceProblem
{
    QString source;
    QString kind;
    QString message;
};

struct BuiltSources
{
    QList<CiBuildService *> services; // unparented; the caller takes them (a SourceRegistry)
    QList<SourceProblem> problems;
};

// Builds the CiBuildServices a configuration names, one provider kind per configuration
// section. A source whose secret cannot be resolved is reported and left out; the others
// are built.
class ProviderFactory
{
public:
    using Builder = std::function<void(const config::Config &, const config::SecretResolver &,
                                       BuiltSources &)>;

    // One entry per configuration section that holds sources.
    struct Kind
    {
        QString section; // jenkins, gitlab-ci, github-actions, buildbot, fixtures
        QString kind; // CiBuildService::kind() of what it builds
        Builder build;
    };

    // The registration table, in the order sources are built.
    static const QList<Kind> &kinds();

    static BuiltSources create(const config::Config &config,
                               const config::SecretResolver &secrets = config::SecretResolver());

    // Builds only the source with this name; an unknown name is a problem naming the
    // configured ones.
    static BuiltSources createOne(const config::Config &config, const QString &name,
                                  const config::SecretResolver &secrets = config::SecretResolver());

    // "jenkins.masters[main-jenkins].token (/etc/ci.yml:12): <message>"
    static QString secretProblem(const config::Config &config, const QString &keyPath,
                                 const config::Location &location, const QString &message);
};

} // namespace cic
