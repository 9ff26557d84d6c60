// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settingsdialog.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace cic;

namespace {

// The configuration file, in memory: what it holds, what was saved, and connection tests
// that answer what the test sets.
class FakeBackend final : public SettingsBackend
{
public:
    QString location() const override { return QStringLiteral("/tmp/ci-companion.yml"); }

    QList<SourceKind> kinds() const override
    {
        using Type = SourceField::Type;
        return {
            {QStringLiteral("jenkins"),
             QStringLiteral("Jenkins"),
             {{QStringLiteral("name"), QStringLiteral("Name"), Type::Text, true, {}, {}},
              {QStringLiteral("address"), QStringLiteral("Address"), Type::Url, true, {}, {}},
              {QStringLiteral("username"), QStringLiteral("User"), Type::Text, false, {}, {}},
              {QStringLiteral("token"),
               QStringLiteral("API token"),
               Type::Secret,
               false,
               QStringLiteral("help"),
               {}},
              {QStringLiteral("csrf"), QStringLiteral("CSRF crumb"), Type::Bool, false, {}, false},
              {QStringLiteral("jobs"), QStringLiteral("Jobs"), Type::List, false, {}, {}},
              {QStringLiteral("pollIntervalMs"),
               QStringLiteral("Poll"),
               Type::Number,
               false,
               {},
               60000}}},
            {QStringLiteral("fixtures"),
             QStringLiteral("Fixture set"),
             {{QStringLiteral("name"), QStringLiteral("Name"), Type::Text, true, {}, {}},
              {QStringLiteral("path"), QStringLiteral("Directory"), Type::Path, true, {}, {}}}},
        };
    }

    QList<SourceSettings> sources() const override { return initial; }

    Result<bool> save(const QList<SourceSettings> &sources) override
    {
        if (!refusal.isEmpty())
            return Error{refusal};
        saved = sources;
        ++saves;
        return true;
    }

    QFuture<Result<QString>> testConnection(const SourceSettings &source) override
    {
        tested = source;
        return QtFuture::makeReadyFuture(answer);
    }

    QList<SourceSettings> initial;
    QList<SourceSettings> saved;
    int saves = 0;
    QString refusal;
    SourceSettings tested;
    Result<QString> answer = QStringLiteral("3 jobs");
};

SourceSettings jenkins(const QString &name, const QString &address)
{
    return {QStringLiteral("jenkins"),
            {{QStringLiteral("name"), name},
             {QStringLiteral("address"), address},
             {QStringLiteral("token"), QStringLiteral("${JENKINS_TOKEN}")}}};
}

} // namespace

Q_DECLARE_METATYPE(cic::SourceSettings)

class TestSettingsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ci-companion-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settingsdialog"));
        QSettings().clear();
    }

    void listsTheFileSources()
    {
        FakeBackend backend;
        backend.initial = {jenkins(QStringLiteral("ci"), QStringLiteral("https://ci.example.com")),
                           {QStringLiteral("fixtures"),
                            {{QStringLiteral("name"), QStringLiteral("recorded")},
                             {QStringLiteral("path"), QStringLiteral("/data/fx")}}}};
        SettingsDialog dialog(&backend);
        auto *list = dialog.findChild<QListWidget *>();
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(0)->text().startsWith(QStringLiteral("ci\n")));
        QCOMPARE(dialog.currentRow(), 0);
        // The editor shows the selected source; the secret is masked.
        auto *address = dialog.findChild<QLineEdit *>(QStringLiteral("address"));
        QVERIFY(address);
        QCOMPARE(address->text(), QStringLiteral("https://ci.example.com"));
        auto *token = dialog.findChild<QLineEdit *>(QStringLiteral("token"));
        QCOMPARE(token->echoMode(), QLineEdit::Password);
        QVERIFY(dialog.problems().isEmpty());
    }

    void validation_data()
    {
        QTest::addColumn<SourceSettings>("source");
        QTest::addColumn<QString>("problem"); // empty: valid

        QTest::newRow("valid") << jenkins(QStringLiteral("ci"),
                                          QStringLiteral("https://ci.example.com"))
                               << QString();
        QTest::newRow("http is fine")
            << jenkins(QStringLiteral("ci"), QStringLiteral("http://localhost:8080")) << QString();
        QTest::newRow("no name") << jenkins(QString(), QStringLiteral("https://ci.example.com"))
                                 << QStringLiteral("has no name");
        QTest::newRow("no address") << jenkins(QStringLiteral("ci"), QString())
                                    << QStringLiteral("ci: Address is required");
        QTest::newRow("not http") << jenkins(QStringLiteral("ci"),
                                             QStringLiteral("ftp://ci.example.com"))
                                  << QStringLiteral("must be an http:// or https:// address");
        QTest::newRow("no host") << jenkins(QStringLiteral("ci"), QStringLiteral("https://"))
                                 << QStringLiteral("must be an http:// or https:// address");
        QTest::newRow("fixture without a path")
            << SourceSettings{QStringLiteral("fixtures"),
                              {{QStringLiteral("name"), QStringLiteral("fx")}}}
            << QStringLiteral("fx: Directory is required");
    }

    void validation()
    {
        QFETCH(SourceSettings, source);
        QFETCH(QString, problem);

        FakeBackend backend;
        backend.initial = {source};
        SettingsDialog dialog(&backend);
        auto *save = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
        if (problem.isEmpty()) {
            QVERIFY2(dialog.problems().isEmpty(),
                     qPrintable(dialog.problems().join(QLatin1Char('\n'))));
            QVERIFY(save->isEnabled());
        } else {
            QCOMPARE(dialog.problems().size(), 1);
            QVERIFY2(dialog.problems().first().contains(problem),
                     qPrintable(dialog.problems().first()));
            QVERIFY(!save->isEnabled());
        }
    }

    void addEditRemove()
    {
        FakeBackend backend;
        backend.initial
            = {jenkins(QStringLiteral("jenkins"), QStringLiteral("https://a.example.com"))};
        SettingsDialog dialog(&backend);

        // A new source gets a free name and its kind's defaults, and waits for an address.
        const int row = dialog.addSource(QStringLiteral("jenkins"));
        QCOMPARE(row, 1);
        QCOMPARE(dialog.sources().at(1).name(), QStringLiteral("jenkins-2"));
        QCOMPARE(dialog.sources().at(1).values.value(QStringLiteral("pollIntervalMs")).toInt(),
                 60000);
        QCOMPARE(dialog.problems(), QStringList{QStringLiteral("jenkins-2: Address is required.")});

        // Typing into the editor changes the source.
        auto *address = dialog.findChild<QLineEdit *>(QStringLiteral("address"));
        QTest::keyClicks(address, QStringLiteral("https://b.example.com"));
        QCOMPARE(dialog.sources().at(1).values.value(QStringLiteral("address")).toString(),
                 QStringLiteral("https://b.example.com"));
        auto *jobs = dialog.findChild<QLineEdit *>(QStringLiteral("jobs"));
        QTest::keyClicks(jobs, QStringLiteral("deploy, build/main ,"));
        QCOMPARE(dialog.sources().at(1).values.value(QStringLiteral("jobs")).toStringList(),
                 (QStringList{QStringLiteral("deploy"), QStringLiteral("build/main")}));
        QVERIFY(dialog.problems().isEmpty());

        // Two sources of one name cannot be saved.
        dialog.setFieldValue(QStringLiteral("name"), QStringLiteral("jenkins"));
        QCOMPARE(dialog.problems().size(), 1);
        QVERIFY(dialog.problems().first().contains(QStringLiteral("names two sources")));
        dialog.setFieldValue(QStringLiteral("name"), QStringLiteral("second"));

        dialog.removeSource(0);
        QCOMPARE(dialog.sources().size(), 1);
        QCOMPARE(dialog.sources().first().name(), QStringLiteral("second"));
    }

    void testConnection_data()
    {
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("message");
        QTest::newRow("reached") << true << QStringLiteral("3 jobs");
        QTest::newRow("refused") << false
                                 << QStringLiteral("401 Unauthorized: check the API token");
    }

    void testConnection()
    {
        QFETCH(bool, ok);
        QFETCH(QString, message);

        FakeBackend backend;
        backend.initial = {jenkins(QStringLiteral("ci"), QStringLiteral("https://ci.example.com"))};
        backend.answer = ok ? Result<QString>(message) : Result<QString>(Error{message});
        SettingsDialog dialog(&backend);
        QSignalSpy tested(&dialog, &SettingsDialog::connectionTested);
        dialog.testSelectedConnection();
        QTRY_COMPARE(tested.size(), 1);
        QCOMPARE(tested.first().at(0).toBool(), ok);
        QCOMPARE(tested.first().at(1).toString(), message);
        QVERIFY(dialog.connectionResult().contains(message.toHtmlEscaped()));
        QCOMPARE(backend.tested.name(), QStringLiteral("ci"));
    }

    void saves()
    {
        FakeBackend backend;
        backend.initial = {jenkins(QStringLiteral("ci"), QStringLiteral("https://ci.example.com"))};
        SettingsDialog dialog(&backend);
        dialog.setFieldValue(QStringLiteral("username"), QStringLiteral("release-bot"));

        backend.refusal
            = QStringLiteral("cannot write /tmp/ci-companion.yml: read-only file system");
        QVERIFY(!dialog.save());
        QCOMPARE(backend.saves, 0);

        backend.refusal.clear();
        QSignalSpy saved(&dialog, &SettingsDialog::saved);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(backend.saves, 1);
        QCOMPARE(backend.saved, dialog.sources());
        QCOMPARE(backend.saved.first().values.value(QStringLiteral("username")).toString(),
                 QStringLiteral("release-bot"));
        QCOMPARE(backend.saved.first().values.value(QStringLiteral("token")).toString(),
                 QStringLiteral("${JENKINS_TOKEN}")); // references stay references
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
