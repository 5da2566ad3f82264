#pragma once
// The texts shipped inside an auditor bundle: how to verify it without portwarden.

#include <string>

namespace pw::app {

std::string bundle_verify_md();
// A standalone Python 3 script (standard library + the openssl command) that checks a bundle.
std::string bundle_verify_py();

}  // namespace pw::app
