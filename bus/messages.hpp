#pragma once
/// Every type and atom that crosses an actor boundary, in one place. Between processes only
/// wire_msg travels: a Cap'n Proto message (bus/shoal.capnp) as bytes. Register the types with
/// register_types() identically on every node and client.

#include <caf/all.hpp>

#include <cstdint>
#include <vector>

namespace shoal::bus {

/// Ask a gateway to run a call: (submit_atom, wire_msg CallRequest) -> wire_msg CallResult.
using submit_atom = caf::atom_constant<caf::atom("submit")>;
/// Internal to a node: a call actor asks the compiler actor for code.
using compile_atom = caf::atom_constant<caf::atom("compile")>;
/// Internal to a node: the gateway hands a request to a call actor.
using run_atom = caf::atom_constant<caf::atom("run")>;
/// Internal to a node: a worker tells a call actor that its run finished.
using done_atom = caf::atom_constant<caf::atom("done")>;
/// Node status and cost profile: (status_atom, wire_msg StatusRequest) -> wire_msg NodeStatus.
using status_atom = caf::atom_constant<caf::atom("status")>;
/// Internal to a node: the statistical-cost actor persists its model.
using save_atom = caf::atom_constant<caf::atom("save")>;
/// Liveness probe: (ping_atom) -> (ping_atom).
using ping_atom = caf::atom_constant<caf::atom("ping")>;

/// A Cap'n Proto message riding in a CAF message.
struct wire_msg {
  std::vector<uint8_t> data;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wire_msg& x) {
  return f(caf::meta::type_name("shoal.wire"), x.data);
}

/// Announces the message types above to a configuration.
inline void register_types(caf::actor_system_config& cfg) { cfg.add_message_type<wire_msg>("shoal.wire"); }

} // namespace shoal::bus
