#include "net/Logging.h"

Q_LOGGING_CATEGORY(lcNet, "leadbridge.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGhl, "leadbridge.ghl", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPull, "leadbridge.pull", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "leadbridge.sync", QtInfoMsg)
