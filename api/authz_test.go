package api_test

// Authorisation tests: every route declares a permission and refuses
// anonymous callers; the matrix of role × route × own / other scope; the
// audit entry of every write. routeCases holds one request builder per
// /api/v1 route: a route without one fails TestAuthorizationMatrix, so a
// new capability adds its routes here (and the isolation test then sends
// them at random too).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// publicRoutes are the only /api/v1 routes that take no token.
var publicRoutes = map[string]bool{"POST /api/v1/auth/login": true}

func TestEveryRouteDeclaresAuthorization(t *testing.T) {
	s := newTestServer(t, storetest.MustSQLite(t))
	declared := map[string]api.Route{}
	for _, r := range s.Srv.Routes() {
		declared[r.Method+" "+r.Path] = r
	}
	known := map[string]bool{}
	for _, p := range authz.Permissions() {
		known[p.Name] = true
	}
	anon := s.anonymous()
	bogus := &client{srv: s, Token: "not-a-token"}
	n := 0
	for _, r := range s.Srv.Echo.Routes() {
		key := r.Method + " " + r.Path
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			if key != "GET /api/openapi.json" {
				t.Errorf("%s: an /api route outside /api/v1 (only the OpenAPI document may be)", key)
			}
			continue
		}
		n++
		d, ok := declared[key]
		switch {
		case !ok:
			t.Errorf("%s is registered without a declared permission: register it with Server.add", key)
			continue
		case d.Permission == api.Public:
			if !publicRoutes[key] {
				t.Errorf("%s is public: only %v may be", key, publicRoutes)
			}
			continue
		case !known[d.Permission]:
			t.Errorf("%s declares %q, which authz/policy.csv grants to no role", key, d.Permission)
		}
		path := pathFor(r.Path, 1)
		for _, c := range []*client{anon, bogus} {
			res := c.serve(t, r.Method, path, echo.MIMEApplicationJSON, strings.NewReader("{}"))
			if res.Status != http.StatusUnauthorized {
				t.Errorf("%s %s as %s = %d %s, want 401", r.Method, path, c.Token, res.Status, res.Body)
				continue
			}
			mustError(t, res, http.StatusUnauthorized, "unauthenticated")
		}
		res := anon.serve(t, r.Method, path, "", nil)
		if res.Status != http.StatusUnauthorized {
			t.Errorf("%s %s with a Basic scheme = %d, want 401", r.Method, path, res.Status)
		}
	}
	for key := range declared {
		method, path, _ := strings.Cut(key, " ")
		if !slices.ContainsFunc(s.Srv.Echo.Routes(), func(r *echo.Route) bool { return r.Method == method && r.Path == path }) {
			t.Errorf("%s is declared but not registered", key)
		}
	}
	if n == 0 {
		t.Fatal("no /api/v1 route registered")
	}
}

// actor is one signed-in user of a fixture.
type actor struct {
	label string
	c     *client
	user  *identity.User
	unit  *tenants.Unit // nil for the platform
}

// auditWant is one audit entry a request must write.
type auditWant struct {
	action, object string
}

// authCase is one request of the matrix or the isolation test.
type authCase struct {
	Method, Path, ContentType, Body string
	// Permission is the route's declared permission.
	Permission string
	// InScope says every object the request names lies in the caller's
	// subtree; OK is the answer then, Other the answer otherwise (404 for an
	// object in the path, 400 naming the field for one in the body — the
	// answers for an id that does not exist).
	InScope   bool
	OK, Other int
	// Untargeted requests name no object: the matrix sends them once.
	Untargeted bool
	// Token, when set, replaces the actor's token.
	Token string
	// Audit lists the entries a successful answer must have written; a
	// function of the answer when the object is created by the request.
	Audit func(res response) []auditWant
	// After checks more once the answer is in (may be nil).
	After func(t testing.TB, res response)
}

// routeCase builds the request of one route as actor a about target.
type routeCase func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase

// phantomID is an id no object has; phantom is a unit that does not exist.
const phantomID = 987654321

var phantom = &tenants.Unit{ID: phantomID, Code: "KHONGCO", Name: "Không có", Kind: tenants.KindDistrict, Path: "/987654321/"}

// phantomLike is the phantom as a unit of u's kind: a case about it names
// absent objects of the types it names about u.
func phantomLike(u *tenants.Unit) *tenants.Unit {
	p := *phantom
	p.Kind = u.Kind
	return &p
}

func jsonBody(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// childKind is the kind a new unit under parent takes.
func childKind(parent *tenants.Unit) string {
	if parent.Kind == tenants.KindProvince {
		return tenants.KindDistrict
	}
	return tenants.KindWard
}

// kindRole is the role that fits a unit's kind.
func kindRole(u *tenants.Unit) string {
	switch u.Kind {
	case tenants.KindProvince:
		return authz.RoleProvince
	case tenants.KindDistrict:
		return authz.RoleDistrict
	}
	return authz.RoleWard
}

// createdID reads the id of the object an answer created.
func createdID(res response) string {
	var v struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(res.Body, &v)
	return strconv.FormatInt(v.ID, 10)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// routeCases holds the request builder of every /api/v1 route.
var routeCases = map[string]routeCase{
	"POST /api/v1/auth/login": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		return authCase{Body: jsonBody(api.LoginRequest{Username: a.user.Username, Password: testPassword(a.user.Username)}),
			OK: 200, Other: 200, InScope: true, Untargeted: true,
			Audit: func(response) []auditWant { return []auditWant{{"auth.login", itoa(a.user.ID)}} }}
	},
	"POST /api/v1/auth/logout": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		if a.c == nil { // anonymous
			return authCase{OK: 204, Other: 204, InScope: true, Untargeted: true}
		}
		fresh := e.s.mustLogin(t, a.user)
		e.resync(t) // the login wrote a token and last_login_at
		return authCase{OK: 204, Other: 204, InScope: true, Untargeted: true, Token: fresh.Token,
			Audit: func(response) []auditWant { return []auditWant{{"auth.logout", itoa(a.user.ID)}} },
			After: func(t testing.TB, res response) {
				if res.Status != http.StatusNoContent {
					return
				}
				if got := fresh.serve(t, "GET", "/api/v1/me", "", nil); got.Status != http.StatusUnauthorized {
					t.Errorf("revoked token: GET /api/v1/me = %d, want 401", got.Status)
				}
			}}
	},
	"GET /api/v1/me": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 200, InScope: true, Untargeted: true, After: func(t testing.TB, res response) {
			if res.Status != http.StatusOK || a.user == nil {
				return
			}
			var me identity.User
			json.Unmarshal(res.Body, &me)
			if me.ID != a.user.ID || !slices.Equal(me.Roles, a.user.Roles) {
				t.Errorf("me = %d %v, want %d %v", me.ID, me.Roles, a.user.ID, a.user.Roles)
			}
		}}
	},
	"POST /api/v1/units": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		code := e.nextCode()
		c := authCase{Body: jsonBody(tenants.NewUnit{Code: code, Name: "Đơn vị mới " + code, Kind: childKind(target), ParentID: &target.ID}),
			OK: 201, Other: 400, InScope: e.covers(a, target),
			Audit: func(res response) []auditWant { return []auditWant{{"unit.create", createdID(res)}} }}
		if target.Kind == tenants.KindWard {
			c.OK = 400 // a ward has no units under it
		}
		return c
	},
	"GET /api/v1/units": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{Path: "/api/v1/units?root=" + itoa(target.ID), OK: 200, Other: 404, InScope: e.covers(a, target)}
	},
	"GET /api/v1/units/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 404, InScope: e.covers(a, target)}
	},
	"GET /api/v1/units/:id/children": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 404, InScope: e.covers(a, target)}
	},
	"GET /api/v1/units/:id/subtree": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 404, InScope: e.covers(a, target)}
	},
	"PATCH /api/v1/units/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{Body: jsonBody(map[string]string{"name": "Tên mới " + e.nextCode()}), OK: 200, Other: 404, InScope: e.covers(a, target),
			Audit: func(response) []auditWant { return []auditWant{{"unit.update", itoa(target.ID)}} }}
	},
	"POST /api/v1/units/import": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		code := e.nextCode()
		csv := fmt.Sprintf("code,name,kind,parent_code\n%s,Đơn vị nhập %s,%s,%s\n", code, code, childKind(target), target.Code)
		c := authCase{ContentType: "text/csv", Body: csv, OK: 201, Other: 400, InScope: e.covers(a, target),
			Audit: func(response) []auditWant { return []auditWant{{"unit.import", homeID(a)}} }}
		if target.Kind == tenants.KindWard {
			c.OK = 400
		}
		return c
	},
	"POST /api/v1/tenants": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		code := e.nextCode()
		user := strings.ToLower(code) + "-tinh"
		body := api.NewTenant{Code: code, Name: "Tỉnh mới " + code, Admin: identity.NewUser{Username: user, FullName: "Cán bộ " + user, Password: testPassword(user)}}
		return authCase{Body: jsonBody(body), OK: 201, Other: 201, InScope: true, Untargeted: true,
			Audit: func(res response) []auditWant {
				var out struct {
					Province struct{ ID int64 } `json:"province"`
					Admin    struct{ ID int64 } `json:"admin"`
				}
				json.Unmarshal(res.Body, &out)
				return []auditWant{{"tenant.create", itoa(out.Province.ID)}, {"user.create", itoa(out.Admin.ID)}}
			}}
	},
	"POST /api/v1/users": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		name := strings.ToLower(e.nextCode())
		body := identity.NewUser{Username: name, FullName: "Cán bộ " + name, UnitID: &target.ID, Roles: []string{kindRole(target)}, Password: testPassword(name)}
		return authCase{Body: jsonBody(body), OK: 201, Other: 400, InScope: e.covers(a, target),
			Audit: func(res response) []auditWant { return []auditWant{{"user.create", createdID(res)}} }}
	},
	"GET /api/v1/users": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{Path: "/api/v1/users?unit_id=" + itoa(target.ID), OK: 200, Other: 200, InScope: e.covers(a, target)}
	},
	"GET /api/v1/users/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		sub := e.subjectAt(target)
		return authCase{Path: "/api/v1/users/" + itoa(sub), OK: 200, Other: 404, InScope: e.userCovered(a, sub)}
	},
	"PATCH /api/v1/users/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		sub := e.subjectAt(target)
		return authCase{Path: "/api/v1/users/" + itoa(sub), Body: jsonBody(map[string]string{"full_name": "Cán bộ đổi tên " + e.nextCode()}),
			OK: 200, Other: 404, InScope: e.userCovered(a, sub),
			Audit: func(response) []auditWant { return []auditWant{{"user.update", itoa(sub)}} }}
	},
	"GET /api/v1/official/provinces": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		return authCase{Path: "/api/v1/official/provinces?list=2019", OK: 200, Other: 200, InScope: true, Untargeted: true}
	},
	"GET /api/v1/audit": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// The entries about a user of the target unit (its creation at least).
		sub := e.subjectAt(target)
		return authCase{Path: "/api/v1/audit?limit=1000&object_type=user&object_id=" + itoa(sub), OK: 200, Other: 200, InScope: e.userCovered(a, sub)}
	},
	"GET /api/v1/audit/denials": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// Refusal counters of the users inside the caller's scope; the
		// leak check proves none of another subtree is shown.
		return authCase{Path: "/api/v1/audit/denials?limit=1000", OK: 200, Other: 200, InScope: true}
	},

	// Excel exports: the builders are in exports_test.go.
	"GET /api/v1/campaigns/:id/compare.xlsx": exportCompareCase,
	"GET /api/v1/reports/:id/export.xlsx":    exportReportCase,

	// The comparison and the end of a campaign year: authz_more_test.go.
	"GET /api/v1/campaigns/:id/compare":        compareCase,
	"POST /api/v1/campaigns/:id/relapse-watch": relapseWatchCase,
	"POST /api/v1/target-areas/:id/carry-over": carryOverCase,
}

// homeID is the audit object of an import: the caller's unit ("" for the platform).
func homeID(a *actor) string {
	if a.unit == nil {
		return ""
	}
	return itoa(a.unit.ID)
}

// authEnv runs authorisation cases against one server and checks each
// answer: its status, that it shows nothing outside the caller's subtree,
// that a write changed rows only inside it, and (at the end) that the
// audit log holds exactly the entries each request should have written.
type authEnv struct {
	s     *testServer
	tree  *tree
	state *dbState
	// rng is nil for deterministic choices (the matrix).
	rng *rand.Rand
	seq int
	// subjects are the users the matrix reads and updates, per unit.
	subjects map[int64]int64
	// strict re-reads the state before and after every write, so that a
	// read or a refused request that changed rows is caught by itself.
	// Otherwise the state is read after each write that reached its
	// handler, and rows changed by reads and by requests the authorizer
	// refused count against that write.
	strict   bool
	sent     []sentRequest
	statuses map[int]int
	// leaks and strayWrites count answers showing, and writes changing,
	// objects outside the caller's subtree.
	leaks, strayWrites int
	// camp is what the campaign and report cases keep (authz_campaigns_test.go).
	camp *campaignEnv
}

// sentRequest is what the audit check needs of one request.
type sentRequest struct {
	name      string
	requestID string
	actorID   int64
	want      []auditWant
	// refused is the kind of a 403 or 404 answered to a signed-in caller.
	refused string
}

func newAuthEnv(t testing.TB, s *testServer) *authEnv {
	e := &authEnv{s: s, tree: newTree(), subjects: map[int64]int64{}, strict: true, statuses: map[int]int{}}
	e.resync(t)
	return e
}

// resync re-reads the state after a change made behind the API.
func (e *authEnv) resync(t testing.TB) {
	e.state = readState(t, e.s.DB)
	e.tree.update(e.state)
}

func (e *authEnv) nextCode() string {
	e.seq++
	return fmt.Sprintf("N%05d", e.seq)
}

func (e *authEnv) viewer(a *actor) viewer {
	if a == nil {
		return e.tree.viewerOf(nil)
	}
	return e.tree.viewerOf(a.user)
}

func (e *authEnv) covers(a *actor, u *tenants.Unit) bool { return e.tree.covers(e.viewer(a), u.ID) }

func (e *authEnv) userCovered(a *actor, id int64) bool { return e.tree.userCovered(e.viewer(a), id) }

// subjectAt returns a user of the unit: the matrix's designated subject,
// or at random (any user when the unit has none).
func (e *authEnv) subjectAt(u *tenants.Unit) int64 {
	if u.ID == phantomID {
		return phantomID
	}
	if e.rng == nil {
		if id, ok := e.subjects[u.ID]; ok {
			return id
		}
	}
	users := e.tree.usersAt(u.ID)
	if len(users) == 0 {
		ids := sortedKeys(e.tree.state.users)
		return ids[e.pick(len(ids))]
	}
	return users[e.pick(len(users))].ID
}

func (e *authEnv) pick(n int) int {
	if e.rng == nil {
		return 0
	}
	return e.rng.IntN(n)
}

func sortedKeys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (e *authEnv) roleCan(a *actor, permission string) bool {
	for _, r := range a.user.Roles {
		if e.s.Enf.RoleCan(r, permission) {
			return true
		}
	}
	return false
}

// expect derives the answer from the policy and the scope rule.
func (e *authEnv) expect(a *actor, c authCase) int {
	switch {
	case c.Permission == api.Public:
		return c.OK
	case a == nil:
		return http.StatusUnauthorized
	case !e.roleCan(a, c.Permission):
		return http.StatusForbidden
	case c.InScope:
		return c.OK
	}
	return c.Other
}

// build fills a case from its route.
func build(t testing.TB, e *authEnv, r api.Route, a *actor, target *tenants.Unit) (authCase, bool) {
	f, ok := routeCases[r.Method+" "+r.Path]
	if !ok {
		return authCase{}, false
	}
	who := a
	if who == nil {
		who = &actor{label: "anonymous", user: &identity.User{Username: "khach"}}
	}
	c := f(t, e, who, target)
	c.Method, c.Permission = r.Method, r.Permission
	if c.Path == "" {
		c.Path = pathFor(r.Path, target.ID)
	}
	if c.ContentType == "" && c.Body != "" {
		c.ContentType = echo.MIMEApplicationJSON
	}
	return c, true
}

// run sends c as a (nil: anonymous), checks the answer against want and
// returns it.
func (e *authEnv) run(t testing.TB, name string, a *actor, c authCase, want int) response {
	t.Helper()
	cl := e.s.anonymous()
	var actorID int64
	if a != nil {
		cl, actorID = a.c, a.user.ID
	}
	if c.Token != "" {
		cl = &client{srv: e.s, Token: c.Token, User: cl.User}
	}
	write := c.Method != http.MethodGet
	if write && e.strict {
		if now := readState(t, e.s.DB); len(e.state.diff(now)) > 0 {
			t.Errorf("%s: rows changed before this write (by a read?): %v", name, e.state.diff(now))
			e.state = now
		}
	}
	res := cl.serve(t, c.Method, c.Path, c.ContentType, strings.NewReader(c.Body))
	e.statuses[res.Status]++
	if res.Status != want {
		t.Errorf("%s: %s %s = %d, want %d: %.300s", name, c.Method, c.Path, res.Status, want, res.Body)
	}
	if res.Status >= 500 {
		t.Errorf("%s: server error %s", name, res.Body)
	}
	v := e.viewer(a)
	ok := res.Status >= 200 && res.Status < 300
	refused := res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden && a != nil && !e.roleCan(a, c.Permission)
	if write && (e.strict || !refused) {
		after := readState(t, e.s.DB)
		for _, ch := range e.state.diff(after) {
			inside := ch.owner >= 0 && (v.all || ch.owner > 0 && (e.tree.covers(v, ch.owner) || after.units[ch.owner] != nil && strings.HasPrefix(after.units[ch.owner].Path, v.path)))
			switch {
			case !ok:
				e.strayWrites++
				t.Errorf("WRITE %s: refused (%d) but changed %s", name, res.Status, ch.row)
			case !inside:
				e.strayWrites++
				t.Errorf("WRITE %s: changed %s (unit %d) outside the caller's subtree", name, ch.row, ch.owner)
			}
		}
		e.state = after
		e.tree.update(after)
	}
	// After the write is read back, so that the objects it made are known.
	if leaks := e.tree.leaks(v, res.Body); len(leaks) > 0 {
		e.leaks++
		t.Errorf("LEAK %s: %s %s = %d shows %d objects outside the caller's subtree: %v\n%.500s", name, c.Method, c.Path, res.Status, len(leaks), leaks, res.Body)
	}
	sent := sentRequest{name: name, requestID: res.RequestID(), actorID: actorID}
	switch {
	case ok && write && c.Audit != nil:
		sent.want = c.Audit(res)
	case ok && write:
		t.Errorf("%s: a write without an expected audit entry in its case", name)
	}
	// A refusal writes no audit entry: it is counted against the caller
	// (access_denials), checked by checkAudit.
	if a != nil && (res.Status == http.StatusForbidden || res.Status == http.StatusNotFound) {
		sent.refused = map[int]string{http.StatusForbidden: "forbidden", http.StatusNotFound: "not_found"}[res.Status]
	}
	e.sent = append(e.sent, sent)
	if c.After != nil {
		c.After(t, res)
	}
	return res
}

// checkAudit asserts that every request sent wrote exactly the audit
// entries expected of it, with the caller as actor: one per successful
// write (two for a tenant), none for reads and refusals; and that every
// 403 and 404 of a signed-in caller was counted against it, per kind, in
// access_denials (issue 17: no audit row per denial).
func (e *authEnv) checkAudit(t testing.TB) {
	t.Helper()
	var entries []*audit.Entry
	if err := e.s.DB.NewSelect().Model(&entries).Scan(e.s.Root); err != nil {
		t.Fatal(err)
	}
	byRID := map[string][]*audit.Entry{}
	for _, en := range entries {
		byRID[en.RequestID] = append(byRID[en.RequestID], en)
	}
	writes, denials := 0, 0
	refused := map[string]int64{}
	for _, s := range e.sent {
		if s.refused != "" {
			refused[fmt.Sprintf("%d %s", s.actorID, s.refused)]++
			denials++
		}
		if s.requestID == "" {
			t.Errorf("%s: answer without X-Request-Id", s.name)
			continue
		}
		got := byRID[s.requestID]
		var gotS, wantS []string
		for _, en := range got {
			actor := int64(0)
			if en.ActorID != nil {
				actor = *en.ActorID
			}
			if actor != s.actorID {
				t.Errorf("%s: audit %s %s/%s by actor %d, want %d", s.name, en.Action, en.ObjectType, en.ObjectID, actor, s.actorID)
			}
			gotS = append(gotS, en.Action+" "+en.ObjectID)
		}
		for _, w := range s.want {
			wantS = append(wantS, w.action+" "+w.object)
			writes++
		}
		sort.Strings(gotS)
		sort.Strings(wantS)
		if !slices.Equal(gotS, wantS) {
			t.Errorf("%s: audit entries %q, want %q", s.name, gotS, wantS)
		}
	}
	var counted []struct {
		UserID int64  `bun:"user_id"`
		Kind   string `bun:"kind"`
		N      int64  `bun:"n"`
	}
	if err := e.s.DB.NewSelect().Table("access_denials").Column("user_id", "kind").ColumnExpr("SUM(count) AS n").Group("user_id", "kind").Scan(e.s.Root, &counted); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, r := range counted {
		got[fmt.Sprintf("%d %s", r.UserID, r.Kind)] = r.N
	}
	for k, want := range refused {
		if got[k] != want {
			t.Errorf("access_denials counts %d for user/kind %s, want %d", got[k], k, want)
		}
	}
	for k, n := range got {
		if refused[k] == 0 {
			t.Errorf("access_denials counts %d for user/kind %s, which was never refused", n, k)
		}
	}
	t.Logf("audit: %d requests checked by request id; %d write entries as expected, %d refusals counted per user", len(e.sent), writes, denials)
}

// matrixTenant is one province of the matrix: a district with two wards,
// and a ward directly under the province (two-tier).
type matrixTenant struct {
	P, D, W1, W2, W0 *tenants.Unit
}

func (m matrixTenant) units() []*tenants.Unit { return []*tenants.Unit{m.P, m.D, m.W1, m.W2, m.W0} }

func mustMatrixTenant(t testing.TB, s *testServer, code string) matrixTenant {
	var m matrixTenant
	m.P = s.mustChild(t, nil, tenants.KindProvince, code)
	m.D = s.mustChild(t, m.P, tenants.KindDistrict, code+"-H")
	m.W1 = s.mustChild(t, m.D, tenants.KindWard, code+"-H-X1")
	m.W2 = s.mustChild(t, m.D, tenants.KindWard, code+"-H-X2")
	m.W0 = s.mustChild(t, m.P, tenants.KindWard, code+"-X0")
	return m
}

// variant is one target of a matrix cell.
type variant struct {
	name string
	unit *tenants.Unit
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel() // its own databases and server, no Redis, no environment changes
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		s := newTestServer(t, db)
		A, B := mustMatrixTenant(t, s, "A"), mustMatrixTenant(t, s, "B")
		subjects := map[int64]int64{}
		for _, u := range append(A.units(), B.units()...) {
			subjects[u.ID] = s.mustUser(t, "s-"+strings.ToLower(u.Code), u, kindRole(u)).ID
		}
		mk := func(label, username string, unit *tenants.Unit, roles ...string) *actor {
			u := s.mustUser(t, username, unit, roles...)
			c := s.mustLogin(t, u)
			return &actor{label: label, c: c, user: c.User, unit: unit}
		}
		province := mk("province", "tinh-a", A.P, authz.RoleProvince)
		district := mk("district", "huyen-a", A.D, authz.RoleDistrict)
		ward := mk("ward", "xa-a1", A.W1, authz.RoleWard)
		ward0 := mk("ward (two-tier)", "xa-a0", A.W0, authz.RoleWard)
		policeWard := mk("police at ward", "congan-xa-a1", A.W1, authz.RolePolice)
		policeDistrict := mk("police at district", "congan-huyen-a", A.D, authz.RolePolice)
		admin := mk("admin", "quantri", nil, authz.RoleAdmin)
		actors := []*actor{province, district, ward, ward0, policeWard, policeDistrict, admin}
		variants := map[*actor][]variant{
			province:       {{"own", A.P}, {"below", A.W1}, {"other province", B.P}, {"ward of other province", B.W1}},
			district:       {{"own", A.D}, {"below", A.W1}, {"parent", A.P}, {"sibling ward under the province", A.W0}, {"other province", B.D}},
			ward:           {{"own", A.W1}, {"parent", A.D}, {"sibling", A.W2}, {"province", A.P}, {"other province", B.W1}},
			ward0:          {{"own", A.W0}, {"parent", A.P}, {"sibling district", A.D}, {"other province", B.W0}},
			policeWard:     {{"own", A.W1}, {"parent", A.D}, {"sibling", A.W2}, {"other province", B.W1}},
			policeDistrict: {{"own", A.D}, {"below", A.W2}, {"parent", A.P}, {"other province", B.D}},
			admin:          {{"province A", A.P}, {"ward of A", A.W1}, {"province B", B.P}, {"district of B", B.D}},
		}
		e := newAuthEnv(t, s)
		e.subjects = subjects
		e.mustCampaigns(t, A.P, []*tenants.Unit{A.W1, A.W2, A.W0})
		e.mustCampaigns(t, B.P, []*tenants.Unit{B.W1, B.W2, B.W0})

		routes := slices.Clone(s.Srv.Routes())
		sort.Slice(routes, func(i, j int) bool { return routes[i].Path+routes[i].Method < routes[j].Path+routes[j].Method })
		cells := 0
		// succeeded counts the 2xx answers of each route: a route no cell
		// gets through tests its refusals only.
		succeeded := map[string]int{}
		for _, r := range routes {
			if !strings.HasPrefix(r.Path, "/api/v1/") {
				continue
			}
			key := r.Method + " " + r.Path
			if _, ok := routeCases[key]; !ok {
				t.Errorf("%s has no case in routeCases: add one (authz_test.go)", key)
				continue
			}
			t.Run(key, func(t *testing.T) {
				// Without a token.
				if r.Permission != api.Public {
					c, _ := build(t, e, r, nil, A.W1)
					e.run(t, "anonymous", nil, c, http.StatusUnauthorized)
				}
				for _, a := range actors {
					for i, v := range variants[a] {
						c, _ := build(t, e, r, a, v.unit)
						if c.Untargeted && i > 0 {
							break
						}
						name := a.label + " × " + v.name
						want := e.expect(a, c)
						if want == http.StatusForbidden && !c.InScope {
							// Never confirm existence: a denied permission is
							// decided before any object is looked up.
							name += " (denied before lookup)"
						}
						res := e.run(t, name, a, c, want)
						cells++
						if res.Status < 300 {
							succeeded[key]++
						}
						if !c.Untargeted && !c.InScope && want != http.StatusForbidden {
							// Out of scope answers exactly as absent does.
							p, _ := build(t, e, r, a, phantomLike(v.unit))
							pres := e.run(t, name+" vs absent", a, p, e.expect(a, p))
							sameAsAbsent(t, name, res, pres)
						}
					}
				}
			})
		}

		t.Run("key cells", func(t *testing.T) {
			post := func(label string, a *actor, path string, body any, want int) {
				t.Helper()
				c := authCase{Method: "POST", Path: path, ContentType: echo.MIMEApplicationJSON, Body: jsonBody(body), Permission: permissionOf(t, s, "POST", path),
					Audit: func(res response) []auditWant { return []auditWant{{"unit.create", createdID(res)}} }}
				e.run(t, label, a, c, want)
			}
			get := func(label string, a *actor, path string, want int) {
				t.Helper()
				e.run(t, label, a, authCase{Method: "GET", Path: path, Permission: permissionOf(t, s, "GET", path)}, want)
			}
			name := func() string { c := e.nextCode(); return strings.ToLower(c) }
			u := name()
			post("ward cannot create users", ward, "/api/v1/users", identity.NewUser{Username: u, FullName: u, UnitID: &A.W1.ID, Roles: []string{"ward"}, Password: testPassword(u)}, 403)
			post("police cannot create users", policeDistrict, "/api/v1/users", identity.NewUser{Username: u, FullName: u, UnitID: &A.D.ID, Roles: []string{"police"}, Password: testPassword(u)}, 403)
			post("province cannot create an admin", province, "/api/v1/users", identity.NewUser{Username: u, FullName: u, Roles: []string{"admin"}, Password: testPassword(u)}, 400)
			post("district cannot create a province user", district, "/api/v1/users", identity.NewUser{Username: u, FullName: u, UnitID: &A.P.ID, Roles: []string{"province"}, Password: testPassword(u)}, 400)
			get("admin reads the platform-level audit log", admin, "/api/v1/audit", 200)
			get("ward cannot read the audit log", ward, "/api/v1/audit", 403)
			get("police cannot list users", policeWard, "/api/v1/users", 403)
			code := e.nextCode()
			post("district cannot create a province", district, "/api/v1/units", tenants.NewUnit{Code: code, Name: "Tỉnh " + code, Kind: "province"}, 403)
			post("district cannot onboard a tenant", district, "/api/v1/tenants", api.NewTenant{Code: code, Name: "Tỉnh " + code}, 403)
			post("province cannot create another province", province, "/api/v1/units", tenants.NewUnit{Code: code, Name: "Tỉnh " + code, Kind: "province"}, 403)
			post("province cannot onboard a tenant", province, "/api/v1/tenants", api.NewTenant{Code: code, Name: "Tỉnh " + code}, 403)
			get("province A gets 404 for province B", province, "/api/v1/units/"+itoa(B.P.ID), 404)
			get("province A gets 404 for a ward of B", province, "/api/v1/units/"+itoa(B.W0.ID), 404)
			get("province A gets 404 for a user of B", province, "/api/v1/users/"+itoa(subjects[B.P.ID]), 404)
			get("province A gets 404 for the subtree of B", province, "/api/v1/units?root="+itoa(B.P.ID), 404)
			get("district gets 404 for its province", district, "/api/v1/units/"+itoa(A.P.ID), 404)
			get("ward gets 404 for its sibling", ward, "/api/v1/units/"+itoa(A.W2.ID), 404)
			get("ward gets 404 for its district", ward, "/api/v1/units/"+itoa(A.D.ID), 404)
			get("district reads its ward", district, "/api/v1/units/"+itoa(A.W2.ID), 200)
			get("province reads the two-tier ward", province, "/api/v1/units/"+itoa(A.W0.ID), 200)
			get("admin reads province B", admin, "/api/v1/units/"+itoa(B.P.ID), 200)
			get("district reads the audit of its subtree only", district, "/api/v1/audit?limit=1000", 200)
			get("province reads the audit of its province only", province, "/api/v1/audit?limit=1000", 200)
			get("district lists the users of its subtree only", district, "/api/v1/users?limit=1000", 200)
			get("province lists the units of its province only", province, "/api/v1/units?limit=1000", 200)
			get("ward lists its own unit only", ward, "/api/v1/units?limit=1000", 200)
		})

		for _, r := range routes {
			if key := r.Method + " " + r.Path; strings.HasPrefix(r.Path, "/api/v1/") && succeeded[key] == 0 && r.Permission != api.Public {
				t.Errorf("%s: no cell of the matrix succeeded (every case refused?)", key)
			}
		}

		t.Run("campaign key cells", func(t *testing.T) {
			e.campaignKeyCells(t, A, ward, ward0, policeWard, policeDistrict, district, province)
		})

		t.Run("audit", func(t *testing.T) { e.checkAudit(t) })
		t.Logf("matrix: %d cells, %d requests, statuses %v; %d leaks, %d writes outside the caller's subtree", cells, len(e.sent), e.statuses, e.leaks, e.strayWrites)
	})
}

// permissionOf returns the declared permission of a route.
func permissionOf(t testing.TB, s *testServer, method, path string) string {
	for _, r := range s.Srv.Routes() {
		if r.Method == method && routeMatches(r.Path, strings.SplitN(path, "?", 2)[0]) {
			return r.Permission
		}
	}
	t.Fatalf("no route %s %s", method, path)
	return ""
}

// routeMatches reports whether path is an instance of the route pattern.
func routeMatches(pattern, path string) bool {
	ps, qs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != qs[i] && !strings.HasPrefix(ps[i], ":") {
			return false
		}
	}
	return true
}

// sameAsAbsent checks an answer about an object of another scope is the
// answer about one that does not exist: same status, code and fields.
func sameAsAbsent(t testing.TB, name string, other, absent response) {
	t.Helper()
	if other.Status != absent.Status {
		t.Errorf("%s: other scope answers %d, an absent object %d", name, other.Status, absent.Status)
		return
	}
	type shape struct {
		Error *struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
		Total *int `json:"total"`
	}
	var o, a shape
	json.Unmarshal(other.Body, &o)
	json.Unmarshal(absent.Body, &a)
	switch {
	case o.Error != nil && a.Error != nil:
		if o.Error.Code != a.Error.Code || !slices.Equal(sortedFieldKeys(o.Error.Fields), sortedFieldKeys(a.Error.Fields)) {
			t.Errorf("%s: other scope answers %s, an absent object %s", name, other.Body, absent.Body)
		}
		if other.Status == http.StatusNotFound && o.Error.Message != a.Error.Message {
			t.Errorf("%s: other scope says %q, an absent object %q", name, o.Error.Message, a.Error.Message)
		}
	case o.Total != nil && a.Total != nil:
		if *o.Total != 0 || *a.Total != 0 {
			t.Errorf("%s: other scope lists %d, an absent object %d", name, *o.Total, *a.Total)
		}
	case !bytes.Equal(other.Body, absent.Body):
		t.Errorf("%s: other scope answers %s, an absent object %s", name, other.Body, absent.Body)
	}
}

func sortedFieldKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
