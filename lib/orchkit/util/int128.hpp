// 128-bit integers for exact coverage arithmetic (covered·100·D ≥ threshold·total never overflows).
#pragma once

namespace orchkit {
__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;
}  // namespace orchkit
