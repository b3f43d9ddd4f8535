// RFC 4648 base64 (standard alphabet, '=' padding): how `state export` carries the baseline's
// gzip line data inside JSON. Small enough to own; base64_test.cpp checks the RFC's vectors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orchkit {

std::string base64_encode(std::string_view bytes);
// nullopt for anything that is not canonical base64 (bad character, bad length or padding).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace orchkit
