#pragma once

// One sandbox (both simulated services on 127.0.0.1), a real SQLite store and the real clients,
// tuned for tests: the sandbox's generous limits, short backoffs and polls.
#include "api/ghl/GhlClient.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "sandbox/Sandbox.h"
#include "store/Database.h"
#include "sync/SyncEngine.h"

#include "Fidelity.h"

#include <QSignalSpy>
#include <QTemporaryDir>

namespace lb {

struct Fixture
{
    explicit Fixture(int contacts, sandbox::SandboxOptions o = {})
    {
        o.contacts = contacts;
        o.ghlBurstMax = 100000;
        o.ghlBurstIntervalMs = 1000; // a 429 waits at most one interval: short storms stay short
        o.saleshandyRateMax = 100000;
        o.saleshandyImportDelayMs = 50;
        box = std::make_unique<sandbox::Sandbox>(o);
        QString error;
        ok = box->start(&error) && dir.isValid();
        if (!ok) {
            qWarning() << error;
            return;
        }
        db = Database::open(dir.filePath(QStringLiteral("store.db")), &error);
        ok = db != nullptr;
        ghl = std::make_unique<ghl::GhlClient>(box->ghlUrl(), o.locationId);
        ghlToken = std::make_unique<StaticTokenProvider>(o.ghlToken);
        ghl->setTokenProvider(ghlToken.get());
        ghl->retryPolicy().backoffBaseMs = 20;
        sh = std::make_unique<sh::SaleshandyClient>(box->saleshandyUrl());
        shKey = std::make_unique<StaticTokenProvider>(o.saleshandyApiKey);
        sh->setTokenProvider(shKey.get());
        sh->retryPolicy().backoffBaseMs = 20;
        // The sandbox allows far more than the client's cautious default for Saleshandy.
        ServiceScheduler::Policy fast = sh->scheduler().policy();
        fast.burstMax = 100000;
        fast.maxInFlight = 6;
        sh->scheduler().setPolicy(fast);
    }

    std::unique_ptr<SyncEngine> sync(SyncOptions options = {})
    {
        options.locationId = box->options().locationId;
        options.pollIntervalMs = 50;
        auto engine = std::make_unique<SyncEngine>(*ghl, *sh, *db, options);
        QSignalSpy done(engine.get(), &SyncEngine::finished);
        engine->start();
        if (!engine->isFinished())
            done.wait(180000);
        return engine;
    }

    /// The contact that gives each prospect its fields (the most recently updated of those sharing
    /// its email), by email: computed from GHL's data, not by the planner.
    QHash<QString, Contact> sendable() const
    {
        QHash<QString, Contact> byEmail;
        const auto expected = fidelity::expectedProspects(*box);
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            byEmail.insert(it.key(), it->contacts.constFirst());
        return byEmail;
    }

    QTemporaryDir dir;
    std::unique_ptr<sandbox::Sandbox> box;
    std::unique_ptr<Database> db;
    std::unique_ptr<ghl::GhlClient> ghl;
    std::unique_ptr<StaticTokenProvider> ghlToken;
    std::unique_ptr<sh::SaleshandyClient> sh;
    std::unique_ptr<StaticTokenProvider> shKey;
    bool ok = false;
};

/// A count of a run's summary: records.<kind>.<what>.
inline int outcome(const QJsonObject &summary, const char *kind, const char *what)
{
    return summary.value(QStringLiteral("records"))
        .toObject()
        .value(QLatin1String(kind))
        .toObject()
        .value(QLatin1String(what))
        .toInt();
}

} // namespace lb
