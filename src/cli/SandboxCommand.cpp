#include "Cli.h"

#include "sandbox/Faults.h"
#include "sandbox/Sandbox.h"

#include <cstdio>

namespace lb::cli {

int runSandbox(Context &ctx)
{
    QCommandLineParser parser;
    sandbox::addSandboxOptions(parser);
    int code = ExitOk;
    const QString description =
        QCoreApplication::translate("lb::cli::Sandbox",
                                    "Serves the simulated GHL and Saleshandy APIs on 127.0.0.1 until stopped (Ctrl+C). The first line "
                                    "printed is a JSON object with ghlUrl, saleshandyUrl, locationId, ghlToken and "
                                    "saleshandyApiKey.\n\n") +
        sandbox::faultSpecHelp();
    if (!ctx.parse(parser, description, &code))
        return code;

    sandbox::SandboxOptions options;
    QString error;
    if (!sandbox::sandboxOptionsFromParser(parser, &options, &error)) {
        Context::err(error);
        return ExitUsage;
    }
    sandbox::Sandbox sandbox(options);
    if (!sandbox.start(&error)) {
        Context::err(error);
        return ExitUsage;
    }
    Context::outJson(sandbox.connectionInfo());
    fflush(stdout);
    return runEventLoop([] { QCoreApplication::exit(0); });
}

} // namespace lb::cli
