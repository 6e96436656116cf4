// File: core/version.h — the Daybook release, recorded with every run.
#pragma once
namespace daybook {
inline constexpr const char* kDaybookVersion = "0.1.0";
}
