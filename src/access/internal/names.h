#pragma once
// The names the engine's command files (engine.cc, grants.cc, suspensions.cc, permits.cc) use
// unqualified, declared once: each says `using namespace internal::names;`. Private to access/.

#include "access/engine.h"
#include "access/internal/outcome.h"
#include "access/internal/rules.h"

namespace pw::access::internal::names {

using domain::AccessRequest;
using domain::Grant;
using domain::GrantMode;
using domain::GrantState;
using domain::PermitState;
using domain::RequestKind;
using domain::RequestState;
using domain::Role;
using domain::WorkPermit;
using internal::at;
using internal::exists;
using internal::finish;
using internal::has_role;
using internal::ids_of;
using internal::is_customs_staff;
using internal::lists;
using internal::make_grant;
using internal::q;

}  // namespace pw::access::internal::names
