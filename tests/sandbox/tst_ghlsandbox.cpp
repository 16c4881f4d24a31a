// The simulated GHL server, driven over real HTTP on 127.0.0.1 with QNetworkAccessManager.

#include "domain/Json.h"
#include "sandbox/Faults.h"
#include "sandbox/GhlService.h"
#include "sandbox/Sandbox.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace lb;
using namespace lb::sandbox;

namespace {

struct Reply
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names

    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

QDateTime fixedReference()
{
    return QDateTime(QDate(2026, 1, 15), QTime(0, 0), Qt::UTC);
}

} // namespace

class TestGhlSandbox final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Sandbox> m_sandbox;
    QNetworkAccessManager m_nam;

    GhlService &ghl() { return m_sandbox->ghl(); }

    void startSandbox(SandboxOptions o = {})
    {
        if (!o.referenceTime.isValid())
            o.referenceTime = fixedReference();
        m_sandbox = std::make_unique<Sandbox>(o);
        QString error;
        QVERIFY2(m_sandbox->start(&error), qPrintable(error));
    }

    QNetworkRequest request(const QString &path, const QByteArray &token = {},
                            const QByteArray &version = "2021-07-28")
    {
        QUrl url = m_sandbox->ghlUrl();
        const qsizetype q = path.indexOf(QLatin1Char('?'));
        url.setPath(q < 0 ? path : path.left(q));
        if (q >= 0)
            url.setQuery(path.mid(q + 1));
        QNetworkRequest req(url);
        const QByteArray t = token.isNull() ? ghl().token().toUtf8() : token;
        if (!t.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + t);
        if (!version.isEmpty())
            req.setRawHeader("Version", version);
        req.setRawHeader("Accept", "application/json");
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        return req;
    }

    Reply wait(QNetworkReply *reply)
    {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(30000);
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.error = reply->error();
        if (reply->isOpen())
            r.body = reply->readAll();
        for (const auto &h : reply->rawHeaderPairs())
            r.headers.insert(h.first.toLower(), h.second);
        reply->deleteLater();
        return r;
    }

    Reply send(const QByteArray &method, const QString &path, const QByteArray &body = {},
               const QByteArray &token = {}, const QByteArray &version = "2021-07-28")
    {
        QNetworkRequest req = request(path, token, version);
        return wait(m_nam.sendCustomRequest(req, method, body));
    }

    Reply send(const QByteArray &method, const QString &path, const QJsonObject &body)
    {
        return send(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    Reply search(QJsonObject body)
    {
        if (!body.contains(QLatin1String("locationId")))
            body.insert(QStringLiteral("locationId"), ghl().locationId());
        return send("POST", QStringLiteral("/contacts/search"), body);
    }

    Reply oauth(const QList<QPair<QString, QString>> &fields)
    {
        QUrlQuery form;
        for (const auto &f : fields)
            form.addQueryItem(f.first, QString::fromLatin1(QUrl::toPercentEncoding(f.second)));
        QNetworkRequest req = request(QStringLiteral("/oauth/token"), QByteArray(""), QByteArray());
        req.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
        return wait(m_nam.post(req, form.query(QUrl::FullyEncoded).toUtf8()));
    }

    // All contacts by searchAfter paging; ids in the order returned.
    QStringList pageThroughAll(const QString &field, const QString &direction, int pageLimit,
                               QJsonArray filters = {}, int *total = nullptr)
    {
        QStringList ids;
        QJsonArray after;
        for (int guard = 0; guard < 10000; ++guard) {
            QJsonObject body{
                {QStringLiteral("pageLimit"), pageLimit},
                {QStringLiteral("sort"), QJsonArray{QJsonObject{{QStringLiteral("field"), field},
                                                                {QStringLiteral("direction"), direction}}}}};
            if (!filters.isEmpty())
                body.insert(QStringLiteral("filters"), filters);
            if (!after.isEmpty())
                body.insert(QStringLiteral("searchAfter"), after);
            const Reply r = search(body);
            if (r.status != 200) {
                qWarning() << r.status << r.body;
                return {};
            }
            if (total)
                *total = r.json().value(QStringLiteral("total")).toInt();
            const QJsonArray contacts = r.json().value(QStringLiteral("contacts")).toArray();
            for (const QJsonValue &c : contacts)
                ids << c.toObject().value(QStringLiteral("id")).toString();
            if (contacts.size() < pageLimit)
                break;
            after = contacts.last().toObject().value(QStringLiteral("searchAfter")).toArray();
        }
        return ids;
    }

private Q_SLOTS:
    void init() { startSandbox(); }
    void cleanup()
    {
        m_nam.clearConnectionCache();
        m_sandbox.reset();
    }

    // --- Auth, headers, envelopes

    void rejectsMissingOrWrongTokenWith401()
    {
        for (const QByteArray &token : {QByteArray(""), QByteArray("wrong-token")}) {
            const Reply r =
                send("GET", QStringLiteral("/contacts/") + ghl().data().contactIds().first(), {}, token);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.json().value(QStringLiteral("message")).toString(),
                     QStringLiteral("Invalid token: access token is invalid"));
            QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("Unauthorized"));
            QVERIFY(!r.header("X-RateLimit-Remaining").isEmpty());
        }
        QCOMPARE(ghl().unauthorizedSent(), 2);
    }

    void requiresVersionHeader()
    {
        const QString path = QStringLiteral("/contacts/") + ghl().data().contactIds().first();
        Reply r = send("GET", path, {}, {}, QByteArray());
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("message")).toString(),
                 QStringLiteral("Version header was not found"));
        r = send("GET", path, {}, {}, "2021-04-15");
        QCOMPARE(r.status, 400);
        QVERIFY(r.json().value(QStringLiteral("message")).toString().contains(QStringLiteral("2021-07-28")));
        r = send("GET", path);
        QCOMPARE(r.status, 200);
    }

    void rejectsInvalidJsonBodyWith400()
    {
        const Reply r = send("POST", QStringLiteral("/contacts/search"), QByteArray("{\"locationId\": "));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("statusCode")).toInt(), 400);
    }

    void unknownRouteAnswers404InNestShape()
    {
        const Reply r = send("GET", QStringLiteral("/nope/here"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QStringLiteral("message")).toString(),
                 QStringLiteral("Cannot GET /nope/here"));
    }

    void everyResponseCarriesRateLimitHeadersAndTraceId()
    {
        const Reply r =
            send("GET", QStringLiteral("/locations/%1/customFields?model=contact").arg(ghl().locationId()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-RateLimit-Max"), QByteArray("100"));
        QCOMPARE(r.header("X-RateLimit-Interval-Milliseconds"), QByteArray("10000"));
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("99"));
        QCOMPARE(r.header("X-RateLimit-Limit-Daily"), QByteArray("200000"));
        QCOMPARE(r.header("X-RateLimit-Daily-Remaining"), QByteArray("199999"));
        QVERIFY(!r.json().value(QStringLiteral("traceId")).toString().isEmpty());
    }

    // --- Search

    void searchAfterPagingCoversEveryContactExactlyOnce_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("direction");
        QTest::addColumn<int>("pageLimit");
        QTest::newRow("dateUpdated asc") << "dateUpdated"
                                         << "asc" << 37;
        QTest::newRow("dateUpdated desc") << "dateUpdated"
                                          << "desc" << 100;
        QTest::newRow("dateAdded asc") << "dateAdded"
                                       << "asc" << 7;
        QTest::newRow("dateAdded desc max page") << "dateAdded"
                                                 << "desc" << 500;
    }
    void searchAfterPagingCoversEveryContactExactlyOnce()
    {
        QFETCH(QString, field);
        QFETCH(QString, direction);
        QFETCH(int, pageLimit);
        int total = 0;
        const QStringList ids = pageThroughAll(field, direction, pageLimit, {}, &total);
        const QStringList truth = ghl().data().contactIds();
        QCOMPARE(total, int(truth.size()));
        QCOMPARE(ids.size(), truth.size());
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()), QSet<QString>(truth.begin(), truth.end()));
        // In order, ties broken by id.
        const auto df =
            field == QLatin1String("dateAdded") ? GhlData::DateField::Added : GhlData::DateField::Updated;
        for (qsizetype i = 1; i < ids.size(); ++i) {
            const Contact *a = ghl().contact(ids.at(i - 1));
            const Contact *b = ghl().contact(ids.at(i));
            const auto ka = std::make_pair(GhlData::dateMs(*a, df), a->id);
            const auto kb = std::make_pair(GhlData::dateMs(*b, df), b->id);
            QVERIFY(direction == QLatin1String("asc") ? ka < kb : kb < ka);
        }
    }

    void generatedDataHasTiesThatPagingMustBreakById()
    {
        QHash<qint64, int> seen;
        int ties = 0;
        for (const Contact &c : ghl().data().contacts())
            if (seen[json::toMs(c.dateUpdated)]++ > 0)
                ++ties;
        QVERIFY(ties > 3);
    }

    void searchResultsCarrySearchAfterOfSortValueAndId()
    {
        const Reply r =
            search({{QStringLiteral("pageLimit"), 3},
                    {QStringLiteral("sort"),
                     QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("dateUpdated")},
                                            {QStringLiteral("direction"), QStringLiteral("asc")}}}}});
        QCOMPARE(r.status, 200);
        const QJsonObject c = r.json().value(QStringLiteral("contacts")).toArray().first().toObject();
        const QJsonArray sa = c.value(QStringLiteral("searchAfter")).toArray();
        QCOMPARE(sa.size(), 2);
        QCOMPARE(qint64(sa.at(0).toDouble()),
                 json::toMs(json::dateTime(c, QLatin1StringView("dateUpdated"))));
        QCOMPARE(sa.at(1).toString(), c.value(QStringLiteral("id")).toString());
    }

    void pageLimitOver500IsRejectedWith422MessageArray()
    {
        const Reply r = search({{QStringLiteral("pageLimit"), 501}});
        QCOMPARE(r.status, 422);
        QVERIFY(r.json().value(QStringLiteral("message")).isArray());
        QVERIFY(r.json()
                    .value(QStringLiteral("message"))
                    .toArray()
                    .first()
                    .toString()
                    .contains(QStringLiteral("500")));
        QCOMPARE(search({}).status, 422); // pageLimit required
    }

    void pageModeStopsAt10000Records()
    {
        Reply r = search({{QStringLiteral("pageLimit"), 500}, {QStringLiteral("page"), 20}});
        QCOMPARE(r.status, 200); // reaches exactly 10,000
        r = search({{QStringLiteral("pageLimit"), 500}, {QStringLiteral("page"), 21}});
        QCOMPARE(r.status, 422);
        r = search({{QStringLiteral("pageLimit"), 10},
                    {QStringLiteral("page"), 2},
                    {QStringLiteral("searchAfter"), QJsonArray{1, QStringLiteral("x")}}});
        QCOMPARE(r.status, 422);
    }

    void pageModeReturnsConsecutiveSlices()
    {
        QStringList viaPages;
        for (int page = 1; page <= 3; ++page) {
            const Reply r = search({{QStringLiteral("pageLimit"), 50}, {QStringLiteral("page"), page}});
            QCOMPARE(r.status, 200);
            for (const QJsonValue &c : r.json().value(QStringLiteral("contacts")).toArray())
                viaPages << c.toObject().value(QStringLiteral("id")).toString();
        }
        const QStringList viaCursor =
            pageThroughAll(QStringLiteral("dateAdded"), QStringLiteral("desc"), 50).mid(0, 150);
        QCOMPARE(viaPages, viaCursor); // the default sort is dateAdded desc
    }

    void dateUpdatedRangeFilterAcceptsEpochMsAndIso()
    {
        QList<qint64> updated;
        for (const Contact &c : ghl().data().contacts())
            updated << json::toMs(c.dateUpdated);
        std::sort(updated.begin(), updated.end());
        const qint64 threshold = updated.at(updated.size() / 2);
        const int truthGte =
            int(std::count_if(updated.begin(), updated.end(), [&](qint64 m) { return m >= threshold; }));
        const int truthGt =
            int(std::count_if(updated.begin(), updated.end(), [&](qint64 m) { return m > threshold; }));

        auto rangeFilter = [](const QJsonObject &value) {
            return QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("dateUpdated")},
                                          {QStringLiteral("operator"), QStringLiteral("range")},
                                          {QStringLiteral("value"), value}}};
        };
        int total = 0;
        const QStringList viaMs =
            pageThroughAll(QStringLiteral("dateUpdated"), QStringLiteral("asc"), 100,
                           rangeFilter({{QStringLiteral("gte"), double(threshold)}}), &total);
        QCOMPARE(total, truthGte);
        QCOMPARE(viaMs.size(), truthGte);
        for (const QString &id : viaMs)
            QVERIFY(json::toMs(ghl().contact(id)->dateUpdated) >= threshold);

        const QString iso = json::isoString(json::fromMs(threshold));
        const QStringList viaIso = pageThroughAll(QStringLiteral("dateUpdated"), QStringLiteral("asc"), 100,
                                                  rangeFilter({{QStringLiteral("gte"), iso}}), &total);
        QCOMPARE(viaIso, viaMs);
        const Reply gt = search({{QStringLiteral("pageLimit"), 1},
                                 {QStringLiteral("filters"), rangeFilter({{QStringLiteral("gt"), iso}})}});
        QCOMPARE(gt.json().value(QStringLiteral("total")).toInt(), truthGt);

        // Bare gt on a date is rejected, as GHL does: use range.
        const Reply bare =
            search({{QStringLiteral("pageLimit"), 1},
                    {QStringLiteral("filters"),
                     QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("dateUpdated")},
                                            {QStringLiteral("operator"), QStringLiteral("gt")},
                                            {QStringLiteral("value"), double(threshold)}}}}});
        QCOMPARE(bare.status, 422);
    }

    void filtersOnEmailTagsExistenceAndGroups()
    {
        const QList<Contact> all = ghl().data().contacts();
        auto filter = [](const QString &field, const QString &op, const QJsonValue &value = QJsonValue()) {
            QJsonObject f{{QStringLiteral("field"), field}, {QStringLiteral("operator"), op}};
            if (!value.isUndefined() && !value.isNull())
                f.insert(QStringLiteral("value"), value);
            return f;
        };
        auto total = [&](const QJsonArray &filters) {
            const Reply r = search({{QStringLiteral("pageLimit"), 1}, {QStringLiteral("filters"), filters}});
            return r.status == 200 ? r.json().value(QStringLiteral("total")).toInt() : -r.status;
        };
        const Contact &someone = *std::find_if(all.begin(), all.end(), [](const Contact &c) {
            return c.email.contains(QLatin1Char('.')) && c.email.contains(QLatin1Char('@'));
        });
        const int sameEmail = int(std::count_if(all.begin(), all.end(), [&](const Contact &c) {
            return c.email.compare(someone.email, Qt::CaseInsensitive) == 0;
        }));
        QCOMPARE(total({filter(QStringLiteral("email"), QStringLiteral("eq"), someone.email.toUpper())}),
                 sameEmail);

        const int noEmail =
            int(std::count_if(all.begin(), all.end(), [](const Contact &c) { return c.email.isEmpty(); }));
        QVERIFY(noEmail > 0);
        QCOMPARE(total({filter(QStringLiteral("email"), QStringLiteral("not_exists"))}), noEmail);
        QCOMPARE(total({filter(QStringLiteral("email"), QStringLiteral("exists"))}),
                 int(all.size()) - noEmail);

        const int vip = int(std::count_if(
            all.begin(), all.end(), [](const Contact &c) { return c.tags.contains(QStringLiteral("vip")); }));
        const int vipOrHot = int(std::count_if(all.begin(), all.end(), [](const Contact &c) {
            return c.tags.contains(QStringLiteral("vip")) || c.tags.contains(QStringLiteral("hot"));
        }));
        QCOMPARE(total({filter(QStringLiteral("tags"), QStringLiteral("eq"), QStringLiteral("vip"))}), vip);
        QCOMPARE(
            total({QJsonObject{
                {QStringLiteral("group"), QStringLiteral("OR")},
                {QStringLiteral("filters"),
                 QJsonArray{filter(QStringLiteral("tags"), QStringLiteral("eq"), QStringLiteral("vip")),
                            filter(QStringLiteral("tags"), QStringLiteral("eq"), QStringLiteral("hot"))}}}}),
            vipOrHot);
        QCOMPARE(total({filter(QStringLiteral("nonsense"), QStringLiteral("eq"), QStringLiteral("x"))}),
                 -422);
        QCOMPARE(
            total({filter(QStringLiteral("email"), QStringLiteral("eq"), QString(76, QLatin1Char('a')))}),
            -422);
    }

    void freeTextQueryMatchesNameEmailPhoneAndCompany()
    {
        const QList<Contact> all = ghl().data().contacts();
        const Contact &c = *std::find_if(all.begin(), all.end(), [](const Contact &x) {
            return !x.phone.isEmpty() && !x.email.isEmpty();
        });
        for (const QString &q : {c.email, c.phone}) {
            const Reply r = search({{QStringLiteral("pageLimit"), 500}, {QStringLiteral("query"), q}});
            QCOMPARE(r.status, 200);
            bool found = false;
            for (const QJsonValue &v : r.json().value(QStringLiteral("contacts")).toArray())
                found = found || v.toObject().value(QStringLiteral("id")).toString() == c.id;
            QVERIFY2(found, qPrintable(q));
        }
        QCOMPARE(search({{QStringLiteral("pageLimit"), 10},
                         {QStringLiteral("query"), QString(76, QLatin1Char('x'))}})
                     .status,
                 422);
    }

    void touchedContactsShowUpInIncrementalPull()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const QStringList touched = ghl().touchContacts(5);
        QCOMPARE(touched.size(), 5);
        const QJsonArray filters{
            QJsonObject{{QStringLiteral("field"), QStringLiteral("dateUpdated")},
                        {QStringLiteral("operator"), QStringLiteral("range")},
                        {QStringLiteral("value"), QJsonObject{{QStringLiteral("gte"), double(before)}}}}};
        const QStringList pulled =
            pageThroughAll(QStringLiteral("dateUpdated"), QStringLiteral("asc"), 2, filters);
        QCOMPARE(QSet<QString>(pulled.begin(), pulled.end()), QSet<QString>(touched.begin(), touched.end()));
    }

    // --- Rate limits

    void answers429WithHeadersAfterTheBurst()
    {
        ghl().setRateLimit(5, 60000);
        const QString path = QStringLiteral("/contacts/") + ghl().data().contactIds().first();
        for (int i = 0; i < 5; ++i) {
            const Reply r = send("GET", path);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("X-RateLimit-Remaining").toInt(), 4 - i);
        }
        const Reply limited = send("GET", path);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json().value(QStringLiteral("statusCode")).toInt(), 429);
        QCOMPARE(limited.json().value(QStringLiteral("message")).toString(),
                 QStringLiteral("Too many requests"));
        QCOMPARE(limited.header("X-RateLimit-Max"), QByteArray("5"));
        QCOMPARE(limited.header("X-RateLimit-Remaining"), QByteArray("0"));
        QCOMPARE(limited.header("X-RateLimit-Interval-Milliseconds"), QByteArray("60000"));
        QVERIFY(limited.header("Retry-After").isEmpty()); // GHL does not send it; off by default
        QCOMPARE(ghl().tooManyRequestsSent(), 1);

        ghl().setSendRetryAfter(true);
        const Reply withRetry = send("GET", path);
        QCOMPARE(withRetry.status, 429);
        QVERIFY(withRetry.header("Retry-After").toInt() >= 1);
    }

    void dailyBudgetIsEnforcedAndReported()
    {
        ghl().setDailyLimit(3);
        const QString path = QStringLiteral("/contacts/") + ghl().data().contactIds().first();
        QCOMPARE(send("GET", path).header("X-RateLimit-Daily-Remaining"), QByteArray("2"));
        send("GET", path);
        QCOMPARE(send("GET", path).status, 200);
        const Reply r = send("GET", path);
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("X-RateLimit-Daily-Remaining"), QByteArray("0"));
    }

    void delayedResponsesInParallelShareKeepAliveConnections()
    {
        ghl().setLatency(150);
        const QStringList ids = ghl().data().contactIds().mid(0, 24);
        QList<QNetworkReply *> replies;
        for (const QString &id : ids)
            replies << m_nam.get(request(QStringLiteral("/contacts/") + id));
        for (qsizetype i = 0; i < replies.size(); ++i) {
            const Reply r = wait(replies.at(i));
            QCOMPARE(r.status, 200);
            QCOMPARE(
                r.json().value(QStringLiteral("contact")).toObject().value(QStringLiteral("id")).toString(),
                ids.at(i));
        }
        // QNetworkAccessManager opens at most 6 connections per host and reuses them.
        QVERIFY2(ghl().connectionsAccepted() <= 6, qPrintable(QString::number(ghl().connectionsAccepted())));
        QCOMPARE(ghl().requestCount(QStringLiteral("contacts")), 24);
    }

    // --- Faults

    void faultSpecParsesTheDocumentedGrammar()
    {
        QString error;
        const auto rules = parseFaultSpec(
            QStringLiteral("5xx:0.2,429@/contacts/search:x3,slow=2000:0.1,cut:x1,5xx=503@tasks"), &error);
        QVERIFY2(rules, qPrintable(error));
        QCOMPARE(rules->size(), 5);
        QCOMPARE(rules->at(0).kind, FaultKind::ServerError);
        QCOMPARE(rules->at(0).param, 500);
        QCOMPARE(rules->at(0).rate, 0.2);
        QCOMPARE(rules->at(1).kind, FaultKind::TooManyRequests);
        QCOMPARE(rules->at(1).path, QStringLiteral("/contacts/search"));
        QCOMPARE(rules->at(1).count, 3);
        QCOMPARE(rules->at(2).param, 2000);
        QCOMPARE(rules->at(4).param, 503);
        QVERIFY(rules->at(4).matchesPath(QStringLiteral("/contacts/abc/tasks/def")));
        QVERIFY(!rules->at(1).matchesPath(QStringLiteral("/contacts/abc")));
        QVERIFY(parseFaultSpec(QString(), &error)->isEmpty());
        QVERIFY(!faultSpecHelp().isEmpty());
    }

    void faultSpecErrorsNameTheBadRule_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown kind") << "explode"
                                      << "explode";
        QTest::newRow("rate > 1") << "5xx:1.5"
                                  << "probability";
        QTest::newRow("bad count") << "cut:x0"
                                   << "count";
        QTest::newRow("bad 5xx") << "5xx=418"
                                 << "5xx";
        QTest::newRow("slow text") << "slow=fast"
                                   << "milliseconds";
        QTest::newRow("empty path") << "cut@:x1"
                                    << "path";
        QTest::newRow("empty rule") << "cut,,5xx"
                                    << "empty";
        QTest::newRow("param on cut") << "cut=3"
                                      << "cut";
    }
    void faultSpecErrorsNameTheBadRule()
    {
        QFETCH(QString, spec);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!parseFaultSpec(spec, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    void randomFaultsAreReproducibleForASeed()
    {
        auto decisions = [](quint32 seed) {
            FaultInjector inj(seed);
            inj.setRules({FaultRule::make(FaultKind::ServerError).withRate(0.3)});
            QString out;
            for (int i = 0; i < 200; ++i)
                out += inj.decide(QStringLiteral("/contacts/search")).fault ? QLatin1Char('F')
                                                                            : QLatin1Char('.');
            return out;
        };
        QCOMPARE(decisions(11), decisions(11));
        QVERIFY(decisions(11) != decisions(12));
        QVERIFY(decisions(11).count(QLatin1Char('F')) > 20);
    }

    void serverErrorFaultHitsOnlyMatchingPathForCount()
    {
        QString error;
        QVERIFY(ghl().setFaults(QStringLiteral("5xx=503@/contacts/search:x2"), &error));
        const QString get = QStringLiteral("/contacts/") + ghl().data().contactIds().first();
        QCOMPARE(send("GET", get).status, 200);
        QCOMPARE(search({{QStringLiteral("pageLimit"), 5}}).status, 503);
        const Reply second = search({{QStringLiteral("pageLimit"), 5}});
        QCOMPARE(second.status, 503);
        QVERIFY(!second.header("X-RateLimit-Remaining").isEmpty());
        QCOMPARE(search({{QStringLiteral("pageLimit"), 5}}).status, 200);
        QCOMPARE(ghl().faultsInjected(), 2);

        ghl().setFaults({FaultRule::make(FaultKind::ServerError, 502).times(1)});
        const Reply gateway = send("GET", get);
        QCOMPARE(gateway.status, 502);
        QVERIFY(gateway.header("Content-Type").startsWith("text/html"));
    }

    void injected429LooksLikeARealOne()
    {
        ghl().setFaults({FaultRule::make(FaultKind::TooManyRequests)
                             .onPath(QStringLiteral("/contacts/search"))
                             .times(1)});
        const Reply r = search({{QStringLiteral("pageLimit"), 5}});
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("0"));
        QCOMPARE(r.json().value(QStringLiteral("message")).toString(), QStringLiteral("Too many requests"));
        QCOMPARE(ghl().tooManyRequestsSent(), 1);
    }

    void slowFaultStillAnswers()
    {
        ghl().setFaults({FaultRule::make(FaultKind::Slow, 300).times(1)});
        QCOMPARE(search({{QStringLiteral("pageLimit"), 5}}).status, 200);
        QCOMPARE(ghl().faultsInjected(), 1);
    }

    void cutFaultClosesWithoutResponse()
    {
        // QNetworkAccessManager silently sends a request again (even a POST) when the connection
        // closes before any byte of the response: one cut is invisible to it, two are not.
        ghl().setFaults({FaultRule::make(FaultKind::Cut).times(2)});
        const Reply r = search({{QStringLiteral("pageLimit"), 5}});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        QCOMPARE(ghl().requestCount(QStringLiteral("search")), 2);
        QCOMPARE(search({{QStringLiteral("pageLimit"), 5}}).status, 200); // the next one is fine
    }

    void truncatedFaultDeliversHalfTheBody()
    {
        ghl().setFaults({FaultRule::make(FaultKind::Truncated).times(1)});
        const Reply r = search({{QStringLiteral("pageLimit"), 50}});
        QVERIFY2(r.error != QNetworkReply::NoError, qPrintable(QString::number(r.error)));
        QVERIFY(QJsonDocument::fromJson(r.body).isNull());
        QCOMPARE(search({{QStringLiteral("pageLimit"), 5}}).status, 200);
    }

    void malformedFaultAnswers200WithInvalidJson()
    {
        ghl().setFaults({FaultRule::make(FaultKind::Malformed).times(1)});
        const Reply r = search({{QStringLiteral("pageLimit"), 5}});
        QCOMPARE(r.status, 200);
        QJsonParseError pe;
        QJsonDocument::fromJson(r.body, &pe);
        QVERIFY(pe.error != QJsonParseError::NoError);
    }

    void wrongTypesFaultAnswers200WithUnexpectedTypes()
    {
        ghl().setFaults({FaultRule::make(FaultKind::WrongTypes).times(2)});
        Reply r = search({{QStringLiteral("pageLimit"), 5}});
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QVERIFY(o.value(QStringLiteral("contacts")).isObject()); // not an array
        QVERIFY(o.value(QStringLiteral("total")).isString());
        r = send("GET", QStringLiteral("/contacts/") + ghl().data().contactIds().first());
        const QJsonObject c = r.json().value(QStringLiteral("contact")).toObject();
        QVERIFY(c.value(QStringLiteral("id")).isDouble());
        QVERIFY(c.value(QStringLiteral("tags")).isString());
        QVERIFY(!c.contains(QStringLiteral("email")));
    }

    void timeoutFaultNeverAnswers()
    {
        ghl().setFaults({FaultRule::make(FaultKind::Timeout).times(1)});
        QNetworkRequest req = request(QStringLiteral("/contacts/search"));
        req.setTransferTimeout(400);
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("locationId"), ghl().locationId()},
                                                          {QStringLiteral("pageLimit"), 5}})
                                    .toJson();
        const Reply r = wait(m_nam.post(req, body));
        QCOMPARE(r.status, 0);
        QVERIFY(r.error == QNetworkReply::OperationCanceledError || r.error == QNetworkReply::TimeoutError);
        QCOMPARE(search({{QStringLiteral("pageLimit"), 5}}).status, 200);
    }

    void faultSpecParsesAfterKindsAndTheConvergenceSpec()
    {
        QString error;
        const auto rules = parseFaultSpec(
            QStringLiteral("5xx:0.03,cut:0.02,cut-after:0.02,malformed:0.02,truncated:0.01,429:x5"), &error);
        QVERIFY2(rules, qPrintable(error));
        QCOMPARE(rules->size(), 6);
        const FaultKind kinds[] = {FaultKind::ServerError, FaultKind::Cut,       FaultKind::CutAfter,
                                   FaultKind::Malformed,   FaultKind::Truncated, FaultKind::TooManyRequests};
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(rules->at(i).kind, kinds[i]);
            QVERIFY(rules->at(i).path.isEmpty()); // every endpoint
        }
        QCOMPARE(rules->at(2).rate, 0.02);
        QCOMPARE(rules->at(5).count, 5);

        const auto after =
            parseFaultSpec(QStringLiteral("5xx-after=503@tasks:x2,5xx-after,cut-after@/v1/fields"), &error);
        QVERIFY2(after, qPrintable(error));
        QCOMPARE(after->at(0).kind, FaultKind::ServerErrorAfter);
        QCOMPARE(after->at(0).param, 503);
        QCOMPARE(after->at(0).path, QStringLiteral("tasks"));
        QCOMPARE(after->at(0).count, 2);
        QCOMPARE(after->at(1).param, 500);
        QCOMPARE(after->at(2).kind, FaultKind::CutAfter);
        QCOMPARE(faultKindName(FaultKind::CutAfter), QStringLiteral("cut-after"));
        QCOMPARE(faultKindName(FaultKind::ServerErrorAfter), QStringLiteral("5xx-after"));

        QVERIFY(!parseFaultSpec(QStringLiteral("5xx-after=418"), &error));
        QVERIFY2(error.contains(QLatin1String("5xx-after")), qPrintable(error));
        QVERIFY(!parseFaultSpec(QStringLiteral("cut-after=2"), &error));
        QVERIFY2(error.contains(QLatin1String("cut-after")), qPrintable(error));
        QVERIFY(faultSpecHelp().contains(QLatin1String("cut-after")));
        QVERIFY(faultSpecHelp().contains(QLatin1String("5xx-after")));

        // Which kinds let the server act before they fail the answer.
        for (FaultKind k : {FaultKind::TooManyRequests, FaultKind::ServerError, FaultKind::Cut})
            QVERIFY(!faultActsFirst(k));
        for (FaultKind k :
             {FaultKind::ServerErrorAfter, FaultKind::CutAfter, FaultKind::Timeout, FaultKind::Truncated,
              FaultKind::Malformed, FaultKind::WrongTypes, FaultKind::Slow})
            QVERIFY(faultActsFirst(k));
    }

    void cutBeforeActingCreatesNothing()
    {
        const int before = ghl().contactCount();
        // Every attempt is cut (QNAM itself resends once when no byte of an answer came).
        ghl().setFaults({FaultRule::make(FaultKind::Cut).onPath(QStringLiteral("/contacts/"))});
        const Reply r =
            send("POST", QStringLiteral("/contacts/"),
                 QJsonObject{{QStringLiteral("locationId"), ghl().locationId()},
                             {QStringLiteral("email"), QStringLiteral("cut.before@example.org")}});
        QCOMPARE(r.status, 0);
        QCOMPARE(ghl().contactCount(), before);
        QVERIFY(ghl().data().findByEmail(QStringLiteral("cut.before@example.org")).isEmpty());
    }

    void cutAfterActingKeepsTheWrite()
    {
        const int before = ghl().contactCount();
        ghl().setFaults({FaultRule::make(FaultKind::CutAfter).onPath(QStringLiteral("/contacts/"))});
        const Reply r = send("POST", QStringLiteral("/contacts/"),
                             QJsonObject{{QStringLiteral("locationId"), ghl().locationId()},
                                         {QStringLiteral("email"), QStringLiteral("cut.after@example.org")}});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        QCOMPARE(ghl().contactCount(), before + 1); // created once (a resend finds the duplicate)
        QVERIFY(!ghl().data().findByEmail(QStringLiteral("cut.after@example.org")).isEmpty());
    }

    void serverErrorAfterActingKeepsTheWriteAndBeforeDoesNot()
    {
        const int before = ghl().contactCount();
        ghl().setFaults({FaultRule::make(FaultKind::ServerError).times(1)});
        Reply r = send("POST", QStringLiteral("/contacts/"),
                       QJsonObject{{QStringLiteral("locationId"), ghl().locationId()},
                                   {QStringLiteral("email"), QStringLiteral("five.before@example.org")}});
        QCOMPARE(r.status, 500);
        QCOMPARE(ghl().contactCount(), before);

        ghl().setFaults({FaultRule::make(FaultKind::ServerErrorAfter, 503).times(1)});
        r = send("POST", QStringLiteral("/contacts/"),
                 QJsonObject{{QStringLiteral("locationId"), ghl().locationId()},
                             {QStringLiteral("email"), QStringLiteral("five.after@example.org")}});
        QCOMPARE(r.status, 503);
        QCOMPARE(ghl().contactCount(), before + 1);
        QVERIFY(!ghl().data().findByEmail(QStringLiteral("five.after@example.org")).isEmpty());
    }

    void aFaultWithoutAPathHitsEveryEndpoint()
    {
        QString error;
        QVERIFY(ghl().setFaults(QStringLiteral("5xx-after=502"), &error));
        const QString id = ghl().data().contactIds().first();
        const QStringList gets = {QStringLiteral("/contacts/") + id,
                                  QStringLiteral("/contacts/%1/tasks").arg(id),
                                  QStringLiteral("/contacts/%1/notes").arg(id),
                                  QStringLiteral("/contacts/%1/appointments").arg(id),
                                  QStringLiteral("/locations/%1/customFields").arg(ghl().locationId()),
                                  QStringLiteral("/locations/%1/tags").arg(ghl().locationId())};
        for (const QString &path : gets)
            QCOMPARE(send("GET", path).status, 502);
        QCOMPARE(search({{QStringLiteral("pageLimit"), 5}}).status, 502);
    }

    void sameFaultSeedAndSpecGiveTheSameFaultsAgain()
    {
        // Two sandboxes with the same seed and spec answer the same sequence of requests alike;
        // setting the spec again starts the sequence again; another seed gives other faults.
        SandboxOptions o;
        o.contacts = 5;
        o.faults = QStringLiteral("5xx:0.3,malformed:0.2");
        o.faultSeed = 4242;
        auto run = [this](Sandbox &box) {
            QString out;
            const QString path = QStringLiteral("/contacts/") + box.ghl().data().contactIds().first();
            QUrl url = box.ghlUrl();
            url.setPath(path);
            for (int i = 0; i < 40; ++i) {
                QNetworkRequest req(url);
                req.setRawHeader("Authorization", "Bearer " + box.ghl().token().toUtf8());
                req.setRawHeader("Version", "2021-07-28");
                const Reply r = wait(m_nam.get(req));
                const bool readable = !QJsonDocument::fromJson(r.body).isNull();
                out += r.status == 500 ? QLatin1Char('5') : readable ? QLatin1Char('.') : QLatin1Char('m');
            }
            return out;
        };
        Sandbox a(o), b(o);
        QString error;
        QVERIFY2(a.start(&error), qPrintable(error));
        QVERIFY2(b.start(&error), qPrintable(error));
        const QString first = run(a);
        QVERIFY2(first.contains(QLatin1Char('5')) && first.contains(QLatin1Char('m')) &&
                     first.contains(QLatin1Char('.')),
                 qPrintable(first));
        QCOMPARE(run(b), first);
        QVERIFY(a.ghl().setFaults(o.faults, &error));
        QCOMPARE(run(a), first); // the second run of a convergence test meets the same faults
        o.faultSeed = 4243;
        Sandbox c(o);
        QVERIFY2(c.start(&error), qPrintable(error));
        QVERIFY(run(c) != first);
    }

    // --- Data

    void sameSeedGivesSameData()
    {
        SandboxOptions o;
        o.contacts = 300;
        o.seed = 99;
        o.referenceTime = fixedReference();
        Sandbox a(o), b(o);
        QString error;
        QVERIFY(a.start(&error));
        QVERIFY(b.start(&error));
        const QList<Contact> ca = a.ghl().data().contacts(), cb = b.ghl().data().contacts();
        QCOMPARE(ca.size(), 300);
        QVERIFY(ca == cb);
        for (int i = 0; i < 300; i += 17) {
            const ContactChildren ka = a.ghl().children(ca.at(i).id), kb = b.ghl().children(ca.at(i).id);
            QVERIFY(ka.tasks == kb.tasks);
            QVERIFY(ka.notes == kb.notes);
            QVERIFY(ka.appointments == kb.appointments);
        }
        QVERIFY(a.ghl().data().customFields() == b.ghl().data().customFields());
        o.seed = 100;
        Sandbox c(o);
        QVERIFY(c.start(&error));
        QVERIFY(c.ghl().data().contacts() != ca);
    }

    void generatedDataHasEveryClassOfMessInAFewPercent_data()
    {
        QTest::addColumn<int>("contacts");
        QTest::newRow("default count") << SandboxOptions().contacts;
        QTest::newRow("2000") << 2000;
    }
    void generatedDataHasEveryClassOfMessInAFewPercent()
    {
        QFETCH(int, contacts);
        SandboxOptions o;
        o.contacts = contacts;
        startSandbox(o);
        const GhlData &d = ghl().data();
        const int n = d.contactCount();
        QStringList figures;
        for (int k = 0; k < int(GhlData::Mess::Count); ++k) {
            const auto kind = GhlData::Mess(k);
            const int count = d.messCount(kind);
            figures << QStringLiteral("%1=%2").arg(GhlData::messName(kind)).arg(count);
            QVERIFY2(count >= n / 200,
                     qPrintable(GhlData::messName(kind) + QStringLiteral(": ") + QString::number(count)));
            QVERIFY2(count <= n / 12,
                     qPrintable(GhlData::messName(kind) + QStringLiteral(": ") + QString::number(count)));
        }
        qInfo().noquote() << "mess classes at" << n << "contacts:" << figures.join(QStringLiteral(", "));

        auto contactsOf = [&](GhlData::Mess kind) {
            QList<Contact> out;
            for (const QString &id : d.messyContacts(kind))
                out << *d.contact(id);
            return out;
        };
        for (const Contact &c : contactsOf(GhlData::Mess::NationalPhone)) {
            QVERIFY2(!c.phone.startsWith(QLatin1Char('+')) && c.phone.contains(QLatin1Char(' ')),
                     qPrintable(c.phone));
            QVERIFY(QStringList({QStringLiteral("DE"), QStringLiteral("US"), QStringLiteral("GB"),
                                 QStringLiteral("FR")})
                        .contains(c.country));
        }
        for (const Contact &c : contactsOf(GhlData::Mess::PhoneExtension))
            QVERIFY2(c.phone.contains(QLatin1String(" ext. ")) || c.phone.contains(QLatin1String(" x")) ||
                         c.phone.contains(QLatin1Char('#')),
                     qPrintable(c.phone));
        for (const Contact &c : contactsOf(GhlData::Mess::PhoneNoCountry)) {
            QVERIFY(c.country.isEmpty());
            QVERIFY2(!c.phone.startsWith(QLatin1Char('+')), qPrintable(c.phone));
        }
        for (const Contact &c : contactsOf(GhlData::Mess::PhoneTrunkPrefix))
            QVERIFY2(c.phone.contains(QLatin1String("(0)")), qPrintable(c.phone));
        for (const Contact &c : contactsOf(GhlData::Mess::PhoneRareCode)) {
            bool rare = false;
            for (const char *code : {"+353 ", "+971 ", "+886 ", "+1 268 ", "+298 "})
                rare = rare || c.phone.startsWith(QLatin1String(code));
            QVERIFY2(rare, qPrintable(c.phone));
        }
        const QString background = d.customFields().at(6).id;
        QCOMPARE(d.customFields().at(6).dataType, QStringLiteral("LARGE_TEXT"));
        for (const Contact &c : contactsOf(GhlData::Mess::LongLargeText)) {
            int length = 0;
            for (const CustomFieldValue &v : c.customFields)
                if (v.fieldId == background)
                    length = int(v.value.toString().size());
            QCOMPARE(length, 5000);
        }
        for (const Contact &c : contactsOf(GhlData::Mess::LongCompany))
            QVERIFY(c.companyName.size() >= 300);
        for (const Contact &c : contactsOf(GhlData::Mess::LongAddress))
            QVERIFY(c.address1.size() >= 300);

        // Shared emails: the copy matches its source exactly, by case only, or after trimming;
        // both have tasks and notes of their own.
        auto sourceOf = [&](const Contact &c) { return *d.contact(d.sharedEmailSource(c.id)); };
        auto hasChildren = [&](const QString &id) {
            const ContactChildren k = d.children(id);
            return !k.tasks.isEmpty() && !k.notes.isEmpty();
        };
        for (const Contact &c : contactsOf(GhlData::Mess::SharedEmailExact)) {
            QCOMPARE(c.email, sourceOf(c).email);
            QVERIFY(hasChildren(c.id) && hasChildren(sourceOf(c).id));
        }
        for (const Contact &c : contactsOf(GhlData::Mess::SharedEmailCase)) {
            QVERIFY(c.email != sourceOf(c).email);
            QCOMPARE(c.email.toLower(), sourceOf(c).email);
            QVERIFY(hasChildren(c.id) && hasChildren(sourceOf(c).id));
        }
        for (const Contact &c : contactsOf(GhlData::Mess::SharedEmailSpaces)) {
            QVERIFY(c.email != c.email.trimmed());
            QCOMPARE(c.email.trimmed(), sourceOf(c).email);
            QVERIFY(hasChildren(c.id) && hasChildren(sourceOf(c).id));
        }

        bool zwj = false, skinTone = false, combining = false, zeroWidth = false, rtl = false;
        for (const Contact &c : contactsOf(GhlData::Mess::Scripts)) {
            const QString text = c.firstName + c.lastName + c.companyName;
            zwj = zwj || text.contains(QChar(0x200D));
            zeroWidth = zeroWidth || text.contains(QChar(0x200B)) || text.contains(QChar(0x200C));
            for (qsizetype i = 0; i < text.size(); ++i) {
                combining = combining || text.at(i).category() == QChar::Mark_NonSpacing;
                rtl = rtl || text.at(i).direction() == QChar::DirR || text.at(i).direction() == QChar::DirAL;
                if (text.at(i).isHighSurrogate() && i + 1 < text.size()) {
                    const char32_t u = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
                    skinTone = skinTone || (u >= 0x1F3FB && u <= 0x1F3FF);
                }
            }
        }
        QVERIFY(zwj && skinTone && combining && zeroWidth && rtl);

        for (const QString &id : d.messyContacts(GhlData::Mess::HtmlNote)) {
            bool html = false;
            for (const Note &note : d.children(id).notes)
                html = html ||
                       (note.body.contains(QLatin1String("<p")) || note.body.contains(QLatin1String("<div")));
            QVERIFY(html);
        }
        bool script = false, entity = false;
        for (const QString &id : d.messyContacts(GhlData::Mess::HtmlNote))
            for (const Note &note : d.children(id).notes) {
                script = script || note.body.contains(QLatin1String("<script>"));
                entity = entity || note.body.contains(QLatin1String("&amp;"));
            }
        QVERIFY(script && entity);
        for (const QString &id : d.messyContacts(GhlData::Mess::HugeHtmlNote)) {
            qsizetype longest = 0;
            for (const Note &note : d.children(id).notes)
                if (note.body.startsWith(QLatin1String("<html>")))
                    longest = std::max(longest, note.body.size());
            QVERIFY(longest >= 20000);
        }
    }

    void messIsTheSameForTheSameSeed()
    {
        SandboxOptions o;
        o.contacts = 800;
        o.referenceTime = fixedReference();
        Sandbox a(o), b(o);
        QString error;
        QVERIFY(a.start(&error) && b.start(&error));
        for (int k = 0; k < int(GhlData::Mess::Count); ++k)
            QCOMPARE(a.ghl().data().messyContacts(GhlData::Mess(k)),
                     b.ghl().data().messyContacts(GhlData::Mess(k)));
        const QString id = a.ghl().data().messyContacts(GhlData::Mess::HtmlNote).value(0);
        QVERIFY(!id.isEmpty());
        QVERIFY(a.ghl().children(id).notes == b.ghl().children(id).notes);
    }

    void generatedDataIsAwkwardLikeRealData()
    {
        SandboxOptions o;
        o.contacts = 5000;
        startSandbox(o);
        const QList<Contact> all = ghl().data().contacts();
        const QRegularExpression idRe(QStringLiteral("^[A-Za-z0-9]{20}$"));
        const QRegularExpression e164(QStringLiteral("^\\+[1-9][0-9]{7,14}$"));
        int noEmail = 0, invalid = 0, emptyName = 0, withPhone = 0;
        QHash<QString, int> emails;
        QSet<QChar::Script> scripts;
        bool apostrophe = false, quote = false, emoji = false, huge = false;
        const qint64 twoYearsBefore = fixedReference().toMSecsSinceEpoch() - 731LL * 24 * 3600 * 1000;
        for (const Contact &c : all) {
            QVERIFY(idRe.match(c.id).hasMatch());
            QVERIFY(c.dateUpdated >= c.dateAdded);
            QVERIFY(json::toMs(c.dateAdded) > twoYearsBefore);
            QVERIFY(c.dateUpdated <= fixedReference());
            QVERIFY(c.tags.size() <= 4);
            if (c.email.isEmpty())
                ++noEmail;
            else if (!c.email.contains(QLatin1Char('@')) || c.email.contains(QLatin1Char(' ')) ||
                     c.email.endsWith(QLatin1Char('@')))
                ++invalid;
            else
                ++emails[c.email.toLower()];
            if (c.firstName.isEmpty() && c.lastName.isEmpty())
                ++emptyName;
            if (!c.phone.isEmpty()) {
                ++withPhone;
                // E.164 unless the contact is in one of the messy phone classes.
                const GhlData &d = ghl().data();
                const bool messyPhone = d.isMessy(c.id, GhlData::Mess::NationalPhone) ||
                                        d.isMessy(c.id, GhlData::Mess::PhoneExtension) ||
                                        d.isMessy(c.id, GhlData::Mess::PhoneNoCountry) ||
                                        d.isMessy(c.id, GhlData::Mess::PhoneTrunkPrefix) ||
                                        d.isMessy(c.id, GhlData::Mess::PhoneRareCode);
                QVERIFY2(messyPhone || e164.match(c.phone).hasMatch(), qPrintable(c.phone));
            }
            QVERIFY(c.country.isEmpty() || c.country.size() == 2);
            for (QChar ch : c.firstName + c.lastName)
                if (ch.isLetter())
                    scripts.insert(ch.script());
            apostrophe = apostrophe || c.lastName.contains(QLatin1Char('\''));
            quote = quote || c.firstName.contains(QLatin1Char('"'));
            emoji = emoji || (c.firstName + c.companyName).contains(QStringLiteral("🌟"));
            for (const CustomFieldValue &v : c.customFields)
                huge = huge || v.displayText().size() >= 65536;
        }
        const int n = int(all.size());
        QVERIFY(noEmail > n / 100 && noEmail < n / 15);
        QVERIFY(invalid > n / 200 && invalid < n / 20);
        QVERIFY(std::count_if(emails.begin(), emails.end(), [](int k) { return k > 1; }) > n / 400);
        QVERIFY(emptyName > 0);
        QVERIFY(withPhone > n / 2);
        for (QChar::Script s :
             {QChar::Script_Latin, QChar::Script_Cyrillic, QChar::Script_Greek, QChar::Script_Arabic,
              QChar::Script_Hebrew, QChar::Script_Han, QChar::Script_Devanagari, QChar::Script_Thai,
              QChar::Script_Hangul, QChar::Script_Hiragana})
            QVERIFY2(scripts.contains(s), qPrintable(QString::number(s)));
        QVERIFY(apostrophe && quote && emoji && huge);

        // Children: some of each, with the edge cases.
        int tasks = 0, completed = 0, due = 0, notes = 0, appts = 0, future = 0, past = 0;
        bool hugeNote = false;
        for (const Contact &c : all) {
            const ContactChildren k = ghl().children(c.id);
            tasks += k.tasks.size();
            for (const Task &t : k.tasks) {
                completed += t.completed;
                due += t.dueDate.isValid();
            }
            notes += k.notes.size();
            for (const Note &nt : k.notes)
                hugeNote = hugeNote || nt.body.size() >= 65536;
            appts += k.appointments.size();
            for (const Appointment &a : k.appointments)
                (a.startTime > fixedReference() ? future : past)++;
            QVERIFY(k.tasks.size() <= 4 && k.notes.size() <= 5 && k.appointments.size() <= 2);
        }
        QVERIFY(tasks > n && completed > 0 && completed < tasks && due > 0 && due < tasks);
        QVERIFY(notes > n / 2 && hugeNote);
        QVERIFY(appts > n / 4 && future > 0 && past > 0);
    }

    void customFieldDefinitionsCoverEveryDataType()
    {
        const Reply r =
            send("GET", QStringLiteral("/locations/%1/customFields?model=contact").arg(ghl().locationId()));
        QCOMPARE(r.status, 200);
        QSet<QString> types;
        for (const QJsonValue &v : r.json().value(QStringLiteral("customFields")).toArray())
            types.insert(CustomField::fromJson(v.toObject()).dataType);
        for (const char *t : {"TEXT", "LARGE_TEXT", "NUMERICAL", "DATE", "CHECKBOX", "SINGLE_OPTIONS",
                              "MULTIPLE_OPTIONS", "MONETORY"})
            QVERIFY2(types.contains(QLatin1String(t)), t);
        QCOMPARE(send("GET", QStringLiteral("/locations/otherLocation/customFields?model=contact")).status,
                 403);
    }

    void generatesOneHundredThousandContacts()
    {
        SandboxOptions o;
        o.contacts = 100000;
        QElapsedTimer timer;
        timer.start();
        startSandbox(o);
        qInfo("generated 100000 contacts in %lld ms", timer.elapsed());
        QCOMPARE(ghl().contactCount(), 100000);
        const Reply r =
            search({{QStringLiteral("pageLimit"), 500},
                    {QStringLiteral("searchAfter"), QJsonArray{0, QString()}},
                    {QStringLiteral("sort"),
                     QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("dateUpdated")},
                                            {QStringLiteral("direction"), QStringLiteral("asc")}}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 100000);
        QCOMPARE(r.json().value(QStringLiteral("contacts")).toArray().size(), 500);
    }

    // --- CRUD

    void contactCreateReadUpdateUpsertDelete()
    {
        QJsonObject create{{QStringLiteral("locationId"), ghl().locationId()},
                           {QStringLiteral("firstName"), QStringLiteral("Zoë")},
                           {QStringLiteral("lastName"), QStringLiteral("O'Brien")},
                           {QStringLiteral("email"), QStringLiteral("zoe.obrien@new.example")},
                           {QStringLiteral("tags"), QJsonArray{QStringLiteral("fresh")}},
                           {QStringLiteral("customFields"),
                            QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("lead_score")},
                                                   {QStringLiteral("field_value"), 42}}}}};
        Reply r = send("POST", QStringLiteral("/contacts/"), create);
        QCOMPARE(r.status, 201);
        const Contact created = Contact::fromJson(r.json().value(QStringLiteral("contact")).toObject());
        QCOMPARE(created.firstName, QStringLiteral("Zoë"));
        QCOMPARE(created.customFields.size(), 1);
        QVERIFY(ghl().contact(created.id));

        r = send("POST", QStringLiteral("/contacts/"), create);
        QCOMPARE(r.status, 400); // duplicate email
        QCOMPARE(
            r.json().value(QStringLiteral("meta")).toObject().value(QStringLiteral("contactId")).toString(),
            created.id);

        create.remove(QStringLiteral("locationId"));
        QCOMPARE(send("POST", QStringLiteral("/contacts/"), create).status, 422);

        const QString path = QStringLiteral("/contacts/") + created.id;
        r = send("GET", path);
        QCOMPARE(r.status, 200);
        QCOMPARE(Contact::fromJson(r.json().value(QStringLiteral("contact")).toObject()).email,
                 created.email);

        QTest::qWait(5); // so that the update's timestamp differs
        r = send("PUT", path, QJsonObject{{QStringLiteral("city"), QStringLiteral("Kraków")}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().value(QStringLiteral("succeded")).toBool());
        QCOMPARE(ghl().contact(created.id)->city, QStringLiteral("Kraków"));
        QVERIFY(ghl().contact(created.id)->dateUpdated > created.dateUpdated);
        QCOMPARE(send("PUT", path, QJsonObject{{QStringLiteral("locationId"), ghl().locationId()}}).status,
                 422);
        QCOMPARE(
            send("PUT", path, QJsonObject{{QStringLiteral("email"), QStringLiteral("no at sign")}}).status,
            422);

        r = send("POST", QStringLiteral("/contacts/upsert"),
                 QJsonObject{{QStringLiteral("locationId"), ghl().locationId()},
                             {QStringLiteral("email"), QStringLiteral("ZOE.OBRIEN@new.example")},
                             {QStringLiteral("companyName"), QStringLiteral("Acme")},
                             {QStringLiteral("tags"), QJsonArray{QStringLiteral("upserted")}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("new")).toBool(), false);
        QCOMPARE(ghl().contact(created.id)->companyName, QStringLiteral("Acme"));
        QCOMPARE(ghl().contact(created.id)->tags,
                 (QStringList{QStringLiteral("fresh"), QStringLiteral("upserted")}));

        r = send("POST", QStringLiteral("/contacts/upsert"),
                 QJsonObject{{QStringLiteral("locationId"), ghl().locationId()},
                             {QStringLiteral("email"), QStringLiteral("brand.new@new.example")}});
        QCOMPARE(r.json().value(QStringLiteral("new")).toBool(), true);

        const int before = ghl().contactCount();
        r = send("DELETE", path);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().value(QStringLiteral("succeded")).toBool());
        QCOMPARE(ghl().contactCount(), before - 1);
        QCOMPARE(send("GET", path).status, 404);
        QCOMPARE(send("DELETE", path).status, 404);
    }

    void tagsAreAddedAndRemovedWithADeleteBody()
    {
        const QString id = ghl().data().contactIds().at(3);
        const QString path = QStringLiteral("/contacts/%1/tags").arg(id);
        Reply r = send("POST", path,
                       QJsonObject{{QStringLiteral("tags"),
                                    QJsonArray{QStringLiteral("alpha"), QStringLiteral("beta")}}});
        QCOMPARE(r.status, 201);
        QVERIFY(ghl().contact(id)->tags.contains(QStringLiteral("alpha")));
        r = send("DELETE", path, QJsonObject{{QStringLiteral("tags"), QJsonArray{QStringLiteral("alpha")}}});
        QCOMPARE(r.status, 200);
        QVERIFY(!ghl().contact(id)->tags.contains(QStringLiteral("alpha")));
        QVERIFY(ghl().contact(id)->tags.contains(QStringLiteral("beta")));
        QCOMPARE(r.json().value(QStringLiteral("tags")).toArray().size(), ghl().contact(id)->tags.size());
        QCOMPARE(send("POST", path, QJsonObject{{QStringLiteral("tags"), QStringLiteral("notalist")}}).status,
                 422);
    }

    void taskChangesBumpTheContactsDateUpdated()
    {
        const QString cid = ghl().data().contactIds().at(5);
        const QString base = QStringLiteral("/contacts/%1/tasks").arg(cid);
        const int existing = int(ghl().children(cid).tasks.size());
        Reply r = send("GET", base);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("tasks")).toArray().size(), existing);

        QCOMPARE(send("POST", base, QJsonObject{{QStringLiteral("title"), QStringLiteral("x")}}).status, 422);
        const QDateTime before = ghl().contact(cid)->dateUpdated;
        r = send("POST", base,
                 QJsonObject{{QStringLiteral("title"), QStringLiteral("Call \"Jim\"")},
                             {QStringLiteral("dueDate"), QStringLiteral("2030-01-02T03:04:05.000Z")},
                             {QStringLiteral("completed"), false}});
        QCOMPARE(r.status, 201);
        const Task t = Task::fromJson(r.json().value(QStringLiteral("task")).toObject());
        QCOMPARE(t.title, QStringLiteral("Call \"Jim\""));
        QVERIFY(ghl().contact(cid)->dateUpdated > before);
        QCOMPARE(ghl().children(cid).tasks.size(), existing + 1);

        r = send("PUT", base + QLatin1Char('/') + t.id,
                 QJsonObject{{QStringLiteral("body"), QStringLiteral("new body")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(Task::fromJson(r.json().value(QStringLiteral("task")).toObject()).body,
                 QStringLiteral("new body"));
        r = send("PUT", base + QLatin1Char('/') + t.id + QStringLiteral("/completed"),
                 QJsonObject{{QStringLiteral("completed"), true}});
        QCOMPARE(r.status, 200);
        QVERIFY(Task::fromJson(r.json().value(QStringLiteral("task")).toObject()).completed);
        r = send("GET", base + QLatin1Char('/') + t.id);
        QVERIFY(Task::fromJson(r.json().value(QStringLiteral("task")).toObject()).completed);
        QCOMPARE(send("DELETE", base + QLatin1Char('/') + t.id).status, 200);
        QCOMPARE(send("GET", base + QLatin1Char('/') + t.id).status, 404);
        QCOMPARE(ghl().children(cid).tasks.size(), existing);
    }

    void notesCreateUpdateDelete()
    {
        const QString cid = ghl().data().contactIds().at(8);
        const QString base = QStringLiteral("/contacts/%1/notes").arg(cid);
        QCOMPARE(send("POST", base, QJsonObject{}).status, 422);
        Reply r = send("POST", base,
                       QJsonObject{{QStringLiteral("body"), QStringLiteral("Ünïcode 🎉\nsecond line")}});
        QCOMPARE(r.status, 201);
        const Note n = Note::fromJson(r.json().value(QStringLiteral("note")).toObject());
        QVERIFY(n.dateAdded.isValid());
        r = send("PUT", base + QLatin1Char('/') + n.id,
                 QJsonObject{{QStringLiteral("body"), QStringLiteral("edited")}});
        QCOMPARE(r.status, 200);
        r = send("GET", base + QLatin1Char('/') + n.id);
        QCOMPARE(Note::fromJson(r.json().value(QStringLiteral("note")).toObject()).body,
                 QStringLiteral("edited"));
        r = send("GET", base);
        QCOMPARE(r.json().value(QStringLiteral("notes")).toArray().size(), ghl().children(cid).notes.size());
        QCOMPARE(send("DELETE", base + QLatin1Char('/') + n.id).status, 200);
        QCOMPARE(send("GET", base + QLatin1Char('/') + n.id).status, 404);
    }

    void appointmentsUseZonelessTimes()
    {
        QString cid;
        for (const QString &id : ghl().data().contactIds())
            if (!ghl().children(id).appointments.isEmpty()) {
                cid = id;
                break;
            }
        QVERIFY(!cid.isEmpty());
        const Reply r = send("GET", QStringLiteral("/contacts/%1/appointments").arg(cid));
        QCOMPARE(r.status, 200);
        const QJsonArray events = r.json().value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), ghl().children(cid).appointments.size());
        const QRegularExpression plain(QStringLiteral("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$"));
        const QJsonObject e = events.first().toObject();
        QVERIFY(plain.match(e.value(QStringLiteral("startTime")).toString()).hasMatch());
        QVERIFY(!e.value(QStringLiteral("appointmentStatus")).toString().isEmpty());
        QCOMPARE(Appointment::fromJson(e), ghl().children(cid).appointments.first());
    }

    void businessContactsArePagedBySkipAndLimit()
    {
        QHash<QString, int> perBusiness;
        for (const Contact &c : ghl().data().contacts())
            if (!c.businessId.isEmpty())
                ++perBusiness[c.businessId];
        QVERIFY(!perBusiness.isEmpty());
        const QString bid = perBusiness.begin().key();
        const int count = perBusiness.begin().value();
        const Reply r = send("GET", QStringLiteral("/contacts/business/%1?locationId=%2&limit=2&skip=1")
                                        .arg(bid, ghl().locationId()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(QStringLiteral("count")).toInt(), count);
        QCOMPARE(r.json().value(QStringLiteral("contacts")).toArray().size(), std::min(2, count - 1));
        QCOMPARE(send("GET", QStringLiteral("/contacts/business/%1").arg(bid)).status, 422);
    }

    // --- OAuth

    void oauthRefreshTokensAreSingleUse()
    {
        const SandboxOptions d;
        auto refresh = [&](const QString &token) {
            return oauth({{QStringLiteral("client_id"), d.oauthClientId},
                          {QStringLiteral("client_secret"), d.oauthClientSecret},
                          {QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                          {QStringLiteral("refresh_token"), token}});
        };
        Reply r = refresh(d.oauthRefreshToken);
        QCOMPARE(r.status, 200);
        const QJsonObject t = r.json();
        QCOMPARE(t.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(t.value(QStringLiteral("expires_in")).toInt(), 86399);
        QCOMPARE(t.value(QStringLiteral("userType")).toString(), QStringLiteral("Location"));
        QCOMPARE(t.value(QStringLiteral("locationId")).toString(), ghl().locationId());
        const QByteArray access = t.value(QStringLiteral("access_token")).toString().toUtf8();
        const QString nextRefresh = t.value(QStringLiteral("refresh_token")).toString();
        QVERIFY(!access.isEmpty() && !nextRefresh.isEmpty());

        r = refresh(d.oauthRefreshToken); // used already
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
        QCOMPARE(ghl().refreshCount(), 1);

        const QString path = QStringLiteral("/contacts/") + ghl().data().contactIds().first();
        QCOMPARE(send("GET", path, {}, access).status, 200);
        ghl().expireAccessTokens();
        QCOMPARE(send("GET", path, {}, access).status, 401);

        r = refresh(nextRefresh);
        QCOMPARE(r.status, 200);
        QCOMPARE(
            send("GET", path, {}, r.json().value(QStringLiteral("access_token")).toString().toUtf8()).status,
            200);
        QCOMPARE(ghl().refreshCount(), 2);
    }

    void oauthChecksClientAndGrant()
    {
        const SandboxOptions d;
        Reply r = oauth({{QStringLiteral("client_id"), d.oauthClientId},
                         {QStringLiteral("client_secret"), QStringLiteral("wrong")},
                         {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                         {QStringLiteral("code"), d.oauthAuthCode}});
        QCOMPARE(r.status, 401);
        r = oauth({{QStringLiteral("client_id"), d.oauthClientId},
                   {QStringLiteral("client_secret"), d.oauthClientSecret},
                   {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                   {QStringLiteral("code"), d.oauthAuthCode}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json().value(QStringLiteral("refresh_token")).toString().isEmpty());
        r = oauth({{QStringLiteral("client_id"), d.oauthClientId},
                   {QStringLiteral("grant_type"), QStringLiteral("password")}});
        QCOMPARE(r.status, 422);
        QVERIFY(r.json().value(QStringLiteral("message")).isArray());
    }

    // --- Options and connection info

    void connectionInfoNamesTheServices()
    {
        const QJsonObject info = m_sandbox->connectionInfo();
        QCOMPARE(info.value(QStringLiteral("ghlUrl")).toString(), m_sandbox->ghlUrl().toString());
        QVERIFY(
            info.value(QStringLiteral("ghlUrl")).toString().startsWith(QStringLiteral("http://127.0.0.1:")));
        QCOMPARE(info.value(QStringLiteral("locationId")).toString(), ghl().locationId());
        QCOMPARE(info.value(QStringLiteral("ghlToken")).toString(), ghl().token());
        QVERIFY(info.contains(QStringLiteral("saleshandyUrl")) &&
                info.contains(QStringLiteral("saleshandyApiKey")));
    }

    void commandLineOptionsAreParsedAndChecked()
    {
        QCommandLineParser parser;
        addSandboxOptions(parser);
        QVERIFY(parser.parse({QStringLiteral("sandbox"), QStringLiteral("--contacts"), QStringLiteral("1234"),
                              QStringLiteral("--faults"), QStringLiteral("5xx:0.2,cut:x1"),
                              QStringLiteral("--retry-after")}));
        SandboxOptions o;
        QString error;
        QVERIFY2(sandboxOptionsFromParser(parser, &o, &error), qPrintable(error));
        QCOMPARE(o.contacts, 1234);
        QCOMPARE(o.faults, QStringLiteral("5xx:0.2,cut:x1"));
        QVERIFY(o.sendRetryAfter);
        QCOMPARE(o.faultSeed, SandboxOptions().faultSeed);

        QCommandLineParser seeded;
        addSandboxOptions(seeded);
        QVERIFY(seeded.parse(
            {QStringLiteral("sandbox"), QStringLiteral("--faults"),
             QStringLiteral("5xx:0.03,cut:0.02,cut-after:0.02,malformed:0.02,truncated:0.01,429:x5"),
             QStringLiteral("--saleshandy-faults"), QStringLiteral("5xx-after:0.03,cut-after:0.02"),
             QStringLiteral("--fault-seed"), QStringLiteral("99")}));
        QVERIFY2(sandboxOptionsFromParser(seeded, &o, &error), qPrintable(error));
        QCOMPARE(o.faultSeed, 99u);
        QCOMPARE(o.saleshandyFaults, QStringLiteral("5xx-after:0.03,cut-after:0.02"));

        QCommandLineParser bad;
        addSandboxOptions(bad);
        QVERIFY(bad.parse({QStringLiteral("sandbox"), QStringLiteral("--faults"), QStringLiteral("boom")}));
        QVERIFY(!sandboxOptionsFromParser(bad, &o, &error));
        QVERIFY(error.contains(QStringLiteral("boom")));
        QCommandLineParser tooMany;
        addSandboxOptions(tooMany);
        QVERIFY(tooMany.parse(
            {QStringLiteral("sandbox"), QStringLiteral("--contacts"), QStringLiteral("100001")}));
        QVERIFY(!sandboxOptionsFromParser(tooMany, &o, &error));
    }

    void countersCountByFamilyAndReset()
    {
        search({{QStringLiteral("pageLimit"), 5}});
        send("GET", QStringLiteral("/contacts/%1/tasks").arg(ghl().data().contactIds().first()));
        send("GET", QStringLiteral("/contacts/%1/notes").arg(ghl().data().contactIds().first()));
        QCOMPARE(ghl().requestCount(), 3);
        QCOMPARE(ghl().requestCount(QStringLiteral("search")), 1);
        QCOMPARE(ghl().requestCount(QStringLiteral("tasks")), 1);
        QCOMPARE(ghl().requestCountsByRoute().value(QStringLiteral("GET /contacts/{contactId}/notes")), 1);
        ghl().resetCounters();
        QCOMPARE(ghl().requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestGhlSandbox)
#include "tst_ghlsandbox.moc"
