// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/service/sourceregistry.h"
#include "core/store/buildstore.h"
#include "ui/igorservercontrol.h"
#include "ui/mainwindow.h"
#include "ui/models/requestlogmodel.h"
#include "ui/serverview.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace cic;

class TestServerView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ci-companion-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_serverview"));
        QSettings().clear();
    }

    // Start on a free loopback port, answer a request, see it in the log and the status bar.
    void startServeStop()
    {
        BuildStore store;
        SourceRegistry registry(&store);
        ServerOptions options;
        IgorServerControl server(&registry, options);
        MainWindow window(&registry);
        window.setServer(&server);
        window.showServerView();
        window.show();

        ServerView *view = window.serverView();
        QAbstractItemModelTester tester(view->requestLog(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!server.isListening());
        QCOMPARE(view->toggleButton()->text(), QStringLiteral("Start"));

        view->portField()->setValue(0);
        QSignalSpy state(&server, &ServerControl::stateChanged);
        view->toggleButton()->click();
        QVERIFY(server.isListening());
        QVERIFY(server.port() != 0);
        QCOMPARE(view->toggleButton()->text(), QStringLiteral("Stop"));
        QVERIFY(!view->portField()->isEnabled());
        QVERIFY(window.serverStatus()->text().contains(server.baseUrl().toString()));

        QNetworkAccessManager network;
        QUrl url = server.baseUrl();
        url.setPath(QStringLiteral("/ci/builds/missing-1/output"));
        std::unique_ptr<QNetworkReply> reply(network.get(QNetworkRequest(url)));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QTRY_COMPARE(view->requestLog()->rowCount(), 1);
        const RequestEntry &entry = view->requestLog()->entry(0);
        QCOMPARE(entry.method, QStringLiteral("GET"));
        QCOMPARE(entry.path, QStringLiteral("/ci/builds/missing-1/output"));
        QCOMPARE(entry.status, reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
        QVERIFY(entry.status >= 400);

        view->toggleButton()->click();
        QVERIFY(!server.isListening());
        QCOMPARE(view->toggleButton()->text(), QStringLiteral("Start"));
        QVERIFY(window.serverStatus()->text().contains(QStringLiteral("stopped")));
    }

    // A port in use is reported in the view, not in a dialog.
    void portInUse()
    {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));

        BuildStore store;
        SourceRegistry registry(&store);
        IgorServerControl server(&registry, ServerOptions{});
        ServerView view;
        view.setServer(&server);
        view.portField()->setValue(occupant.serverPort());
        view.toggleButton()->click();
        QVERIFY(!server.isListening());
        QVERIFY(!server.errorString().isEmpty());
        QCOMPARE(view.toggleButton()->text(), QStringLiteral("Start"));
        QVERIFY(view.findChildren<QLabel *>().size() > 0);
        bool shown = false;
        for (QLabel *label : view.findChildren<QLabel *>())
            shown = shown || label->text().contains(server.errorString().toHtmlEscaped());
        QVERIFY(shown);
    }
};

QTEST_MAIN(TestServerView)
#include "tst_serverview.moc"
