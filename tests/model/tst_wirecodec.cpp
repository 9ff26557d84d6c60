// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/wirecodec.h"
#include "tests/support/wirechecks.h"

#include <QTest>

using namespace cic;
using cic::testing::dataPath;
using cic::testing::golden;
using cic::testing::readJson;

class TestWireCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contractExamplesRoundTrip_data();
    void contractExamplesRoundTrip();
    void trapsReadLooselyWriteStrictly_data();
    void trapsReadLooselyWriteStrictly();
    void encodeEqualsToJson_data();
    void encodeEqualsToJson();
    void emptyBuildKeepsWhatDeckNeeds();
    void encodeArrayJoins();
    void number_data();
    void number();
    void result_data();
    void result();
    void runningBuildIsBuilding();
    void textOfNumbers_data();
    void textOfNumbers();
    void isoInstant_data();
    void isoInstant();
    void parseInstant_data();
    void parseInstant();
    void strings_data();
    void strings();
    void pathSafeIds_data();
    void pathSafeIds();
};

namespace {

QList<QJsonObject> buildsIn(const QString &relative)
{
    QList<QJsonObject> objects;
    const QJsonDocument document = readJson(dataPath(relative));
    if (document.isObject())
        objects.append(document.object());
    for (const QJsonValue &value : document.array())
        objects.append(value.toObject());
    return objects;
}

Build parse(const QJsonObject &object)
{
    const Result<Build> parsed = wire::fromJson(object);
    if (!parsed)
        qFatal("cannot read a build: %s", qPrintable(parsed.error()));
    return parsed.value();
}

QJsonObject reencoded(const Build &build)
{
    return QJsonDocument::fromJson(wire::encode(build)).object();
}

} // namespace

void TestWireCodec::contractExamplesRoundTrip_data()
{
    QTest::addColumn<QJsonObject>("input");

    // The documents of the contract (6.1 and 6.3) are already strict: reading and writing
    // them again must give the very same JSON.
    int index = 0;
    for (const QString &file : {QStringLiteral("contract/keel-app/builds.json"),
                                QStringLiteral("contract/tools/builds.json")}) {
        for (const QJsonObject &object : buildsIn(file))
            QTest::addRow("%s #%d", qPrintable(file), index++) << object;
    }
}

void TestWireCodec::contractExamplesRoundTrip()
{
    QFETCH(QJsonObject, input);
    const QJsonObject output = reencoded(parse(input));
    QCOMPARE(output, input);
    CIC_VERIFY_WIRE_BUILD(output);
}

void TestWireCodec::trapsReadLooselyWriteStrictly_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("goldenFile");

    QTest::newRow("running, no result given") << "trap-running"
                                              << "trap-running.json";
    QTest::newRow("pull request, loose types") << "trap-pr"
                                               << "trap-pull-request.json";
    QTest::newRow("no revisions") << "trap-no-scm"
                                  << "trap-no-revisions.json";
    QTest::newRow("largest 32-bit number") << "trap-max-number"
                                           << "trap-max-number.json";
}

void TestWireCodec::trapsReadLooselyWriteStrictly()
{
    QFETCH(QString, id);
    QFETCH(QString, goldenFile);

    const QList<QJsonObject> inputs = buildsIn(QStringLiteral("traps/builds.json"));
    const auto input = std::find_if(inputs.cbegin(), inputs.cend(), [&](const QJsonObject &o) {
        return o.value(u"id").toString() == id;
    });
    QVERIFY(input != inputs.cend());

    const QJsonObject output = reencoded(parse(*input));
    QCOMPARE(output, golden(goldenFile).array().at(0).toObject());
    CIC_VERIFY_WIRE_BUILD(output);
}

void TestWireCodec::encodeEqualsToJson_data()
{
    QTest::addColumn<QJsonObject>("input");
    int index = 0;
    for (const QString &file :
         {QStringLiteral("contract/keel-app/builds.json"),
          QStringLiteral("contract/tools/builds.json"), QStringLiteral("traps/builds.json")}) {
        for (const QJsonObject &object : buildsIn(file))
            QTest::addRow("%s #%d", qPrintable(file), index++) << object;
    }
}

void TestWireCodec::encodeEqualsToJson()
{
    // encode() writes bytes directly; it must say what toJson() says.
    QFETCH(QJsonObject, input);
    const Build build = parse(input);
    QCOMPARE(reencoded(build), wire::toJson(build));
}

void TestWireCodec::emptyBuildKeepsWhatDeckNeeds()
{
    Build build;
    build.id = QStringLiteral("b-1");
    const QJsonObject object = reencoded(build);

    // deck maps artifacts, reads properties.startedTs and scm.length: never left out.
    QCOMPARE(object.value(u"building"), QJsonValue(false));
    QCOMPARE(object.value(u"number"), QJsonValue(0));
    QCOMPARE(object.value(u"artifacts"), QJsonValue(QJsonArray()));
    QCOMPARE(object.value(u"testResults"), QJsonValue(QJsonArray()));
    QCOMPARE(object.value(u"scm"), QJsonValue(QJsonArray()));
    QCOMPARE(object.value(u"properties"), QJsonValue(QJsonObject()));
    QCOMPARE(object.value(u"id"), QJsonValue(QStringLiteral("b-1")));

    // The rest is left out when unknown, as igor's NON_NULL does.
    for (const char *absent : {"result", "timestamp", "duration", "url", "name", "fullDisplayName"})
        QVERIFY2(!object.contains(QLatin1String(absent)), absent);
    QCOMPARE(object.size(), 7);
}

void TestWireCodec::encodeArrayJoins()
{
    QCOMPARE(wire::encodeArray({}), QByteArray("[]"));
    QCOMPARE(wire::encodeArray({"{\"a\":1}"}), QByteArray("[{\"a\":1}]"));
    QCOMPARE(wire::encodeArray({"{}", "{}", "{}"}), QByteArray("[{},{},{}]"));
}

void TestWireCodec::number_data()
{
    QTest::addColumn<QJsonValue>("number");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<int>("expected");

    QTest::newRow("integer") << QJsonValue(42) << true << 42;
    QTest::newRow("string") << QJsonValue(QStringLiteral("42")) << true << 42;
    QTest::newRow("padded string") << QJsonValue(QStringLiteral(" 42 ")) << true << 42;
    QTest::newRow("int32 max") << QJsonValue(2147483647.0) << true << 2147483647;
    QTest::newRow("above int32") << QJsonValue(2147483648.0) << false << 0;
    QTest::newRow("negative") << QJsonValue(-1) << false << 0;
    QTest::newRow("words") << QJsonValue(QStringLiteral("forty-two")) << false << 0;
    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined) << true << 0;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << true << 0;
}

void TestWireCodec::number()
{
    QFETCH(QJsonValue, number);
    QFETCH(bool, accepted);
    QFETCH(int, expected);

    QJsonObject object{{QStringLiteral("id"), QStringLiteral("b")}};
    if (!number.isUndefined())
        object.insert(QStringLiteral("number"), number);
    const Result<Build> parsed = wire::fromJson(object);
    QCOMPARE(parsed.ok(), accepted);
    if (accepted) {
        QCOMPARE(parsed->number, expected);
        QVERIFY(reencoded(*parsed).value(u"number").isDouble());
    } else {
        QVERIFY(parsed.error().contains(QLatin1String("number")));
    }
}

void TestWireCodec::result_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("written"); // empty: refused

    QTest::newRow("SUCCESS") << "SUCCESS"
                             << "SUCCESS";
    QTest::newRow("lower case") << "failure"
                                << "FAILURE";
    QTest::newRow("mixed case") << "Unstable"
                                << "UNSTABLE";
    QTest::newRow("not built, spaced") << "not built"
                                       << "NOT_BUILT";
    QTest::newRow("not-built, dashed") << "Not-Built"
                                       << "NOT_BUILT";
    QTest::newRow("aborted") << "aborted"
                             << "ABORTED";
    QTest::newRow("keel's word is not a result") << "SUCCEEDED"
                                                 << "";
    QTest::newRow("unknown") << "EXPLODED"
                             << "";
}

void TestWireCodec::result()
{
    QFETCH(QString, text);
    QFETCH(QString, written);

    const Result<Build> parsed = wire::fromJson(
        {{QStringLiteral("id"), QStringLiteral("b")}, {QStringLiteral("result"), text}});
    // keel fails the whole answer on a result it does not know, so none may pass through.
    QCOMPARE(parsed.ok(), !written.isEmpty());
    if (parsed)
        QCOMPARE(reencoded(*parsed).value(u"result").toString(), written);
    else
        QVERIFY(parsed.error().contains(text));
}

void TestWireCodec::runningBuildIsBuilding()
{
    // Either way of saying it is running gives building=true and result=BUILDING.
    const Result<Build> byFlag
        = wire::fromJson({{QStringLiteral("building"), true},
                          {QStringLiteral("result"), QStringLiteral("SUCCESS")}});
    const Result<Build> byResult
        = wire::fromJson({{QStringLiteral("result"), QStringLiteral("building")}});
    for (const Result<Build> &parsed : {byFlag, byResult}) {
        QVERIFY(parsed.ok());
        const QJsonObject object = reencoded(*parsed);
        QCOMPARE(object.value(u"building"), QJsonValue(true));
        QCOMPARE(object.value(u"result"), QJsonValue(QStringLiteral("BUILDING")));
    }
}

void TestWireCodec::textOfNumbers_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("text");

    QTest::newRow("epoch ms") << QJsonValue(1700000000000.0) << "1700000000000";
    QTest::newRow("small") << QJsonValue(12) << "12";
    QTest::newRow("fraction") << QJsonValue(12.5) << "12.5";
    QTest::newRow("huge") << QJsonValue(1e20) << "1e+20";
    QTest::newRow("negative huge") << QJsonValue(-1e300) << "-1.0000000000000001e+300";
    QTest::newRow("true") << QJsonValue(true) << "true";
    QTest::newRow("string stays") << QJsonValue(QStringLiteral("007")) << "007";
}

void TestWireCodec::textOfNumbers()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, text);

    // keel casts property values to String: every value is written as a string.
    const Result<Build> parsed
        = wire::fromJson({{QStringLiteral("properties"),
                           QJsonObject{{QStringLiteral("pullRequestNumber"), value}}}});
    QVERIFY(parsed.ok());
    const QJsonValue written
        = reencoded(*parsed).value(u"properties").toObject().value(u"pullRequestNumber");
    QVERIFY(written.isString());
    QCOMPARE(written.toString(), text);
}

void TestWireCodec::isoInstant_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");

    QTest::newRow("epoch") << qint64(0) << "1970-01-01T00:00:00Z";
    QTest::newRow("contract") << qint64(1700000000000) << "2023-11-14T22:13:20Z";
    QTest::newRow("milliseconds") << qint64(1700000000123) << "2023-11-14T22:13:20.123Z";
    QTest::newRow("leading zero ms") << qint64(1700000000007) << "2023-11-14T22:13:20.007Z";
    QTest::newRow("before epoch") << qint64(-1) << "1969-12-31T23:59:59.999Z";
    QTest::newRow("leap day") << qint64(1709208000000) << "2024-02-29T12:00:00Z";
    QTest::newRow("end of a century year") << qint64(4107542399000) << "2100-02-28T23:59:59Z";
    QTest::newRow("year 9999") << qint64(253402300799000) << "9999-12-31T23:59:59Z";
}

void TestWireCodec::isoInstant()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(wire::isoInstantFromMs(ms), text);
    QCOMPARE(wire::isoInstant(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)), text);
    // And back.
    QCOMPARE(wire::parseInstant(text).toMSecsSinceEpoch(), ms);
}

void TestWireCodec::parseInstant_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<qint64>("ms"); // -1: not an instant

    const qint64 base = 1700000000000; // 2023-11-14T22:13:20Z
    QTest::newRow("Z") << QJsonValue(QStringLiteral("2023-11-14T22:13:20Z")) << base;
    QTest::newRow("lower-case z") << QJsonValue(QStringLiteral("2023-11-14t22:13:20z")) << base;
    QTest::newRow("+00:00") << QJsonValue(QStringLiteral("2023-11-14T22:13:20+00:00")) << base;
    QTest::newRow("-08:00") << QJsonValue(QStringLiteral("2023-11-14T14:13:20-08:00")) << base;
    QTest::newRow("+0530") << QJsonValue(QStringLiteral("2023-11-15T03:43:20+0530")) << base;
    QTest::newRow("+01") << QJsonValue(QStringLiteral("2023-11-14T23:13:20+01")) << base;
    QTest::newRow("ms") << QJsonValue(QStringLiteral("2023-11-14T22:13:20.123Z")) << base + 123;
    QTest::newRow("µs cut to ms") << QJsonValue(QStringLiteral("2023-11-14T22:13:20.123456Z"))
                                  << base + 123;
    QTest::newRow("one fraction digit")
        << QJsonValue(QStringLiteral("2023-11-14T22:13:20.5Z")) << base + 500;
    QTest::newRow("no offset is UTC") << QJsonValue(QStringLiteral("2023-11-14T22:13:20")) << base;
    QTest::newRow("padded") << QJsonValue(QStringLiteral(" 2023-11-14T22:13:20Z ")) << base;
    QTest::newRow("epoch ms number") << QJsonValue(double(base)) << base;
    QTest::newRow("epoch ms string") << QJsonValue(QStringLiteral("1700000000000")) << base;
    QTest::newRow("epoch seconds") << QJsonValue(1700000000) << base;
    QTest::newRow("leap day") << QJsonValue(QStringLiteral("2024-02-29T12:00:00Z"))
                              << qint64(1709208000000);
    QTest::newRow("February 30") << QJsonValue(QStringLiteral("2023-02-30T00:00:00Z"))
                                 << qint64(-1);
    QTest::newRow("month 13") << QJsonValue(QStringLiteral("2023-13-01T00:00:00Z")) << qint64(-1);
    QTest::newRow("24:00 is the next midnight")
        << QJsonValue(QStringLiteral("2023-11-14T24:00:00Z")) << qint64(1700006400000);
    QTest::newRow("yesterday") << QJsonValue(QStringLiteral("yesterday")) << qint64(-1);
    QTest::newRow("empty") << QJsonValue(QString()) << qint64(-1);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << qint64(-1);
    QTest::newRow("bool") << QJsonValue(true) << qint64(-1);
}

void TestWireCodec::parseInstant()
{
    QFETCH(QJsonValue, value);
    QFETCH(qint64, ms);

    const QDateTime parsed = wire::parseInstant(value);
    if (ms < 0) {
        QVERIFY(!parsed.isValid());
        return;
    }
    QVERIFY(parsed.isValid());
    QCOMPARE(parsed.toMSecsSinceEpoch(), ms);
    QCOMPARE(parsed.timeSpec(), Qt::UTC);
}

void TestWireCodec::strings_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");

    QTest::newRow("quotes and backslash") << "say \"hi\" \\ bye"
                                          << "say \"hi\" \\ bye";
    QTest::newRow("lines and tabs") << "one\ntwo\r\n\tthree"
                                    << "one\ntwo\r\n\tthree";
    QTest::newRow("control characters")
        << QStringLiteral("a\x01z\x1f") << QStringLiteral("a\x01z\x1f");
    QTest::newRow("accents") << "Żółć, naïve café"
                             << "Żółć, naïve café";
    QTest::newRow("emoji") << "ship it 🚀"
                           << "ship it 🚀";
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + QStringLiteral("x")
                                    << QString(QChar(0xfffd)) + QStringLiteral("x");
}

void TestWireCodec::strings()
{
    QFETCH(QString, message);
    QFETCH(QString, expected);

    Build build;
    build.id = QStringLiteral("b");
    build.scm.append(GitRevision{});
    build.scm[0].message = message;
    build.properties.insert(message, message);

    const QByteArray bytes = wire::encode(build);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject object = document.object();
    QCOMPARE(object.value(u"scm").toArray().at(0).toObject().value(u"message").toString(),
             expected);
    QCOMPARE(object.value(u"properties").toObject().value(expected).toString(), expected);
}

void TestWireCodec::pathSafeIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("safe");

    QTest::newRow("plain") << "b-1042" << true;
    QTest::newRow("dots and tilde") << "job.name~7_1" << true;
    QTest::newRow("slash") << "a/b" << false;
    QTest::newRow("space") << "a b" << false;
    QTest::newRow("percent") << "a%2Fb" << false;
    QTest::newRow("non-ASCII") << "bü" << false;
    QTest::newRow("empty") << "" << false;
}

void TestWireCodec::pathSafeIds()
{
    QFETCH(QString, id);
    QFETCH(bool, safe);
    QCOMPARE(wire::isPathSafeId(id), safe);
}

QTEST_GUILESS_MAIN(TestWireCodec)
#include "tst_wirecodec.moc"
