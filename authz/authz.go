// Package authz answers "may this user, with the roles granted at their home
// unit, perform this action" — function-level authorisation (OWASP API5)
// with Casbin v2. The model (model.conf) is RBAC with domains over a small
// global policy: policy.csv, the whole permission matrix in one readable
// file, role × "resource:verb". Users hold roles per domain: their home
// unit ("unit:ID") or, for the platform admin, "platform".
//
// Which objects a user reaches inside its unit's subtree (object-level
// authorisation, OWASP API1) is not decided here: the locality tree scopes
// every storage query (see tenants/).
//
// Rules live in the casbin_rule table, through Adapter, on the shared
// database; the in-memory model answers checks without I/O.
package authz

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// PlatformDomain is the domain of platform roles (admin), which belong to no unit.
const PlatformDomain = "platform"

// Subject returns the Casbin subject of a user, "user:ID".
func Subject(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// Domain returns the Casbin domain of a home unit, "unit:ID", or
// PlatformDomain for unitID 0 (no unit).
func Domain(unitID int64) string {
	if unitID == 0 {
		return PlatformDomain
	}
	return "unit:" + strconv.FormatInt(unitID, 10)
}

// Enforcer checks permissions against the embedded policy and the grants
// stored in casbin_rule. It is safe for concurrent use. It wraps a
// casbin.SyncedEnforcer without Casbin's decision cache: with 50,000 users
// that cache rarely hits, and SyncedCachedEnforcer keeps a revoked role's
// cached "yes".
type Enforcer struct {
	ce     *casbin.SyncedEnforcer
	loader *loader
	reload sync.Mutex // serialises Reload (and the loader's context)

	// decisions holds Casbin's answer for each role × permission, replaced
	// whenever the policy is (re)loaded. See Can.
	decisions atomic.Pointer[decisionTable]
}

// New loads the model, makes the stored policy rules ("p") equal to
// policy.csv (the file is the source of truth; nothing is written when they
// already are), and loads every grant.
func New(ctx context.Context, db bun.IDB) (*Enforcer, error) {
	pol, err := loadPolicy()
	if err != nil {
		return nil, err
	}
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return nil, fmt.Errorf("authz: model.conf: %w", err)
	}
	if err := syncPolicy(ctx, db, pol.rules); err != nil {
		return nil, err
	}
	e := &Enforcer{loader: &loader{Adapter: NewAdapter(db)}}
	e.reload.Lock()
	defer e.reload.Unlock()
	e.loader.ctx = ctx
	e.ce, err = casbin.NewSyncedEnforcer(m, e.loader) // loads the policy
	e.loader.ctx = nil
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	// Grant and Revoke write through the caller's transaction themselves.
	e.ce.EnableAutoSave(false)
	e.decisions.Store(newDecisionTable(e.ce))
	return e, nil
}

// syncPolicy replaces the stored p rules with rules, in one transaction;
// it writes only what differs, so replicas starting together agree.
func syncPolicy(ctx context.Context, db bun.IDB, rules [][]string) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var stored []casbinRule
		if err := tx.NewSelect().Model(&stored).Where("ptype = 'p'").Scan(ctx); err != nil {
			return fmt.Errorf("authz: read stored policy: %w", err)
		}
		want := map[casbinRule]bool{}
		for _, r := range rules {
			row, err := newRule("p", r)
			if err != nil {
				return err
			}
			want[row] = true
		}
		var stale []int64
		for _, row := range stored {
			id := row.ID
			row.ID = 0
			if want[row] {
				delete(want, row)
			} else {
				stale = append(stale, id)
			}
		}
		if len(stale) > 0 {
			if _, err := tx.NewDelete().Model((*casbinRule)(nil)).Where("id IN (?)", bun.In(stale)).Exec(ctx); err != nil {
				return fmt.Errorf("authz: remove stale policy: %w", err)
			}
		}
		missing := make([]casbinRule, 0, len(want))
		for _, r := range rules {
			row, _ := newRule("p", r)
			if want[row] {
				missing = append(missing, row)
			}
		}
		return insertRules(ctx, tx, missing)
	})
}

// Can reports whether the user, through the roles granted at homeUnitID
// (0 for a platform user), holds permission ("resource:verb"). Anything
// malformed or failing is a no.
//
// The answer is Casbin's Enforce(user, domain, resource, verb) for this
// model, computed in two Casbin look-ups (≈ 3 µs, p99 ≈ 10 µs with 50,000
// grants; docs/benchmarks.md) instead of Enforce's scan of every policy
// rule (≈ 40–60 µs, p99 over 100 µs): the user's roles in the domain from the role manager,
// then each role's decision, which Casbin's matcher computed once per
// role × permission when the policy was loaded. Grants and revocations act
// on the role manager, so they take effect at once. A test checks the two
// agree on every cell.
func (e *Enforcer) Can(userID, homeUnitID int64, permission string) bool {
	if userID <= 0 || homeUnitID < 0 || !strings.Contains(permission, ":") {
		return false
	}
	t := e.decisions.Load()
	for _, role := range e.ce.GetRolesForUserInDomain(Subject(userID), Domain(homeUnitID)) {
		if t.allowed(role, permission) {
			return true
		}
	}
	return false
}

// enforce asks Casbin's Enforce directly: the reference Can must agree with.
func (e *Enforcer) enforce(userID, homeUnitID int64, permission string) bool {
	obj, act, ok := strings.Cut(permission, ":")
	if !ok {
		return false
	}
	ok, err := e.ce.Enforce(Subject(userID), Domain(homeUnitID), obj, act)
	return err == nil && ok
}

// RoleCan reports whether role holds permission ("resource:verb") in the
// policy.
func (e *Enforcer) RoleCan(role, permission string) bool {
	if !strings.Contains(permission, ":") {
		return false
	}
	return e.decisions.Load().allowed(role, permission)
}

// validGrant checks a grant's arguments: a known role, a user, and a unit
// exactly when the role is not admin. It returns EINVALID naming the field.
func validGrant(userID, unitID int64, role string) error {
	fe := domain.FieldErrors{}
	if userID <= 0 {
		fe.Add("user", "Người dùng không hợp lệ")
	}
	switch {
	case !ValidRole(role):
		fe.Add("role", fmt.Sprintf("Vai trò “%s” không tồn tại (chỉ %s)", role, strings.Join(Roles[:], ", ")))
	case role == RoleAdmin && unitID != 0:
		fe.Add("unit", "Vai trò admin thuộc nền tảng, không gắn với đơn vị")
	case role != RoleAdmin && unitID <= 0:
		fe.Add("unit", fmt.Sprintf("Vai trò %s cần một đơn vị", role))
	}
	return fe.Err()
}

// Grant gives the user role at unitID (0 with role admin): it writes the
// grant through tx — the caller's transaction, so it commits or rolls back
// with the change it belongs to — and adds it to this Enforcer's memory at
// once. If tx then rolls back, call Reload to drop the grant from memory.
// Granting a role already held is a no-op. Returns EINVALID naming "role",
// "unit" or "user".
func (e *Enforcer) Grant(ctx context.Context, tx bun.IDB, userID, unitID int64, role string) error {
	if err := validGrant(userID, unitID, role); err != nil {
		return err
	}
	rule := []string{Subject(userID), role, Domain(unitID)}
	if err := NewAdapter(tx).AddPolicyCtx(ctx, "g", "g", rule); err != nil {
		return err
	}
	if _, err := e.ce.AddGroupingPolicy(rule); err != nil {
		return fmt.Errorf("authz: grant: %w", err)
	}
	return nil
}

// Revoke takes role at unitID away from the user, through tx and in
// memory (a revocation is effective here before tx commits). Revoking a
// role not held is a no-op. Returns EINVALID naming "role", "unit" or "user".
func (e *Enforcer) Revoke(ctx context.Context, tx bun.IDB, userID, unitID int64, role string) error {
	if err := validGrant(userID, unitID, role); err != nil {
		return err
	}
	rule := []string{Subject(userID), role, Domain(unitID)}
	if err := NewAdapter(tx).RemovePolicyCtx(ctx, "g", "g", rule); err != nil {
		return err
	}
	if _, err := e.ce.RemoveGroupingPolicy(rule); err != nil {
		return fmt.Errorf("authz: revoke: %w", err)
	}
	return nil
}

// RevokeAll takes every role in every domain away from the user, through
// tx and in memory (for a user deleted or moved to another unit).
func (e *Enforcer) RevokeAll(ctx context.Context, tx bun.IDB, userID int64) error {
	if userID <= 0 {
		return domain.Invalid("Người dùng không hợp lệ", map[string]string{"user": "Người dùng không hợp lệ"})
	}
	sub := Subject(userID)
	if err := NewAdapter(tx).RemoveFilteredPolicyCtx(ctx, "g", "g", 0, sub); err != nil {
		return err
	}
	if _, err := e.ce.RemoveFilteredGroupingPolicy(0, sub); err != nil {
		return fmt.Errorf("authz: revoke: %w", err)
	}
	return nil
}

// RolesOf returns the roles the user holds at unitID (0 for the platform),
// in the order of Roles.
func (e *Enforcer) RolesOf(userID, unitID int64) []string {
	roles := e.ce.GetRolesForUserInDomain(Subject(userID), Domain(unitID))
	slices.SortFunc(roles, func(a, b string) int {
		return slices.Index(Roles[:], a) - slices.Index(Roles[:], b)
	})
	return roles
}

// Permissions returns the permission matrix (see the package function).
func (e *Enforcer) Permissions() []Permission { return Permissions() }

// Reload replaces the in-memory policy and grants with what casbin_rule
// holds now, so an instance picks up grants written by another one (call it
// on a change notification, or after a transaction that granted rolled back).
// A grant still uncommitted while Reload reads is not in what it loads.
// On error (including a stored grant Grant could not have written) the
// previous state stays.
func (e *Enforcer) Reload(ctx context.Context) error {
	e.reload.Lock()
	defer e.reload.Unlock()
	e.loader.ctx = ctx
	defer func() { e.loader.ctx = nil }()
	if err := e.ce.LoadPolicy(); err != nil {
		return fmt.Errorf("authz: reload: %w", err)
	}
	e.decisions.Store(newDecisionTable(e.ce))
	return nil
}

// loader is the adapter Casbin loads through: Casbin's LoadPolicy takes no
// context, so Reload (holding Enforcer.reload) hands it one here.
type loader struct {
	*Adapter
	ctx context.Context
}

// LoadPolicy loads with the context Reload set, and refuses grants Grant
// could not have written: Can relies on every grant linking a user to a
// role (never a role to a role).
func (l *loader) LoadPolicy(m model.Model) error {
	ctx := l.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if err := l.LoadPolicyCtx(ctx, m); err != nil {
		return err
	}
	for _, r := range m["g"]["g"].Policy {
		if len(r) != 3 || !strings.HasPrefix(r[0], "user:") || !ValidRole(r[1]) ||
			(r[2] != PlatformDomain && !strings.HasPrefix(r[2], "unit:")) {
			return fmt.Errorf("authz: stored grant %q is not \"user:ID, ROLE, unit:ID|platform\"", r)
		}
	}
	return nil
}

// rolePermission is one cell of the matrix.
type rolePermission struct{ role, perm string }

// decisionTableMax bounds the cells remembered beyond the policy's own (a
// permission no rule names is asked of Casbin once, then remembered).
const decisionTableMax = 4096

// decisionTable remembers Casbin's decision for role × permission; it is
// filled for every role and every permission of the policy when built.
type decisionTable struct {
	ce *casbin.SyncedEnforcer
	mu sync.RWMutex
	m  map[rolePermission]bool
}

func newDecisionTable(ce *casbin.SyncedEnforcer) *decisionTable {
	t := &decisionTable{ce: ce, m: map[rolePermission]bool{}}
	rules, _ := ce.GetPolicy()
	for _, r := range rules {
		if len(r) == 3 {
			for _, role := range Roles {
				t.allowed(role, r[1]+":"+r[2])
			}
		}
	}
	return t
}

// allowed returns Casbin's decision for role holding perm.
func (t *decisionTable) allowed(role, perm string) bool {
	k := rolePermission{role, perm}
	t.mu.RLock()
	v, ok := t.m[k]
	t.mu.RUnlock()
	if ok {
		return v
	}
	obj, act, _ := strings.Cut(perm, ":")
	// The role itself as the subject: g(role, p.sub, dom) holds exactly
	// when p.sub is role (no role inherits another).
	v, err := t.ce.Enforce(role, PlatformDomain, obj, act)
	v = v && err == nil
	t.mu.Lock()
	if len(t.m) < decisionTableMax {
		t.m[k] = v
	}
	t.mu.Unlock()
	return v
}

// RefreshUser makes this instance's grants of one user equal to what
// casbin_rule holds, so a grant or revocation written by another instance
// (or by the CLI) counts here without a full Reload. It is cheap enough to
// call before refusing a request.
func (e *Enforcer) RefreshUser(ctx context.Context, userID int64) error {
	sub := Subject(userID)
	var rows []casbinRule
	if err := e.loader.db.NewSelect().Model(&rows).Where("ptype = 'g' AND v0 = ?", sub).Scan(ctx); err != nil {
		return fmt.Errorf("authz: refresh user: %w", err)
	}
	want := map[[3]string]bool{}
	for _, r := range rows {
		if ValidRole(r.V1) && (r.V2 == PlatformDomain || strings.HasPrefix(r.V2, "unit:")) {
			want[[3]string{r.V0, r.V1, r.V2}] = true
		}
	}
	have, err := e.ce.GetFilteredGroupingPolicy(0, sub)
	if err != nil {
		return fmt.Errorf("authz: refresh user: %w", err)
	}
	for _, h := range have {
		if len(h) != 3 {
			continue
		}
		k := [3]string{h[0], h[1], h[2]}
		if want[k] {
			delete(want, k)
			continue
		}
		if _, err := e.ce.RemoveGroupingPolicy(h); err != nil {
			return fmt.Errorf("authz: refresh user: %w", err)
		}
	}
	for k := range want {
		if _, err := e.ce.AddGroupingPolicy(k[0], k[1], k[2]); err != nil {
			return fmt.Errorf("authz: refresh user: %w", err)
		}
	}
	return nil
}
