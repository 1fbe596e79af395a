#pragma once
// How much of a report an engine function fills in.

namespace modelpick::engine {

// `full`: the numbers and the assumptions in words. `numbers`: the assumptions are left empty,
// for callers that compute many reports and print few (pick tries every model at every
// precision, then words the one it chooses with the *_assumptions functions).
enum class Detail { full, numbers };

} // namespace modelpick::engine
