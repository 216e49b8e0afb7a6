package api_test

// The randomised isolation test: many provinces, districts and wards with
// users of every role, then thousands of random requests — reads and
// writes naming objects of every scope — each checked by authEnv.run: the
// status the policy and the scope rule predict, no object outside the
// caller's subtree in the answer, no row changed outside it, and at the end
// the audit entry of every write. Requests are made by generators: every
// route of routeCases about a random unit, plus the filters and files
// below. A later capability adds its generators to isolationGenerators.

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// generator makes one random request as a.
type generator struct {
	name   string
	weight int
	gen    func(t testing.TB, e *authEnv, a *actor) authCase
}

// randomUnit picks any unit of the database (of one of kinds, when given).
func (e *authEnv) randomUnit(kinds ...string) *tenants.Unit {
	var us []*tenants.Unit
	for _, u := range e.tree.unitsOfKind("") {
		if len(kinds) == 0 || slices.Contains(kinds, u.Kind) {
			us = append(us, &tenants.Unit{ID: u.ID, Code: u.Code, Name: u.Name, Kind: u.Kind, Path: u.Path})
		}
	}
	return us[e.rng.IntN(len(us))]
}

// nearUnit picks the unit a request is about: half the time any unit,
// otherwise one of a's subtree (so that requests inside the scope, and
// the writes they make, are as common as those naming other scopes).
func (e *authEnv) nearUnit(a *actor) *tenants.Unit {
	if a == nil || a.unit == nil || e.rng.IntN(2) == 0 {
		return e.randomUnit()
	}
	var us []*tenants.Unit
	for _, u := range e.tree.unitsOfKind("") {
		if strings.HasPrefix(u.Path, a.unit.Path) {
			us = append(us, &tenants.Unit{ID: u.ID, Code: u.Code, Name: u.Name, Kind: u.Kind, Path: u.Path})
		}
	}
	return us[e.rng.IntN(len(us))]
}

// randomUser picks any user of the database.
func (e *authEnv) randomUser() *stateUser {
	ids := sortedKeys(e.tree.state.users)
	return e.tree.state.users[ids[e.rng.IntN(len(ids))]]
}

// isolationGenerators returns the request generators: one per route of
// the server (about a random unit), and the filters, codes and files that
// name objects of other scopes in other places.
func isolationGenerators(t testing.TB, s *testServer) []generator {
	var gens []generator
	for _, r := range s.Srv.Routes() {
		key := r.Method + " " + r.Path
		if _, ok := routeCases[key]; !ok {
			continue // TestAuthorizationMatrix reports it
		}
		w := 10
		switch {
		case r.Method != http.MethodGet:
			w = 6
		}
		switch key {
		case "POST /api/v1/auth/login", "POST /api/v1/auth/logout", "POST /api/v1/tenants", "GET /api/v1/me":
			w = 1
		}
		gens = append(gens, generator{name: key, weight: w, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			target := e.nearUnit(a)
			if r.Method == http.MethodPost && (r.Path == "/api/v1/units" || r.Path == "/api/v1/units/import") {
				target = e.randomUnit(tenants.KindProvince, tenants.KindDistrict)
			}
			c, _ := build(t, e, r, a, target)
			return c
		}})
	}
	perm := func(method, path string) string { return permissionOf(t, s, method, path) }
	list := func(name, path string, w int, query func(e *authEnv, a *actor) string) generator {
		return generator{name: name, weight: w, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			return authCase{Method: "GET", Path: path + "?" + query(e, a), Permission: perm("GET", path), OK: 200, Other: 200, InScope: true}
		}}
	}
	gens = append(gens,
		list("units by code", "/api/v1/units", 4, func(e *authEnv, a *actor) string { return "code=" + e.randomUnit().Code }),
		list("units by name", "/api/v1/units", 4, func(e *authEnv, a *actor) string {
			return "q=" + strings.ReplaceAll(tenants.Fold(e.randomUnit().Name), " ", "+")
		}),
		list("all units", "/api/v1/units", 3, func(e *authEnv, a *actor) string { return "limit=1000" }),
		list("units of a kind", "/api/v1/units", 2, func(e *authEnv, a *actor) string {
			return "kind=" + []string{"province", "district", "ward"}[e.rng.IntN(3)]
		}),
		list("users by name", "/api/v1/users", 4, func(e *authEnv, a *actor) string { return "q=" + e.randomUser().Username }),
		list("all users", "/api/v1/users", 3, func(e *authEnv, a *actor) string { return "limit=1000" }),
		list("audit by actor", "/api/v1/audit", 4, func(e *authEnv, a *actor) string { return "actor_id=" + itoa(e.randomUser().ID) }),
		list("audit about a user", "/api/v1/audit", 4, func(e *authEnv, a *actor) string {
			return "object_type=user&object_id=" + itoa(e.randomUser().ID)
		}),
		list("audit about a unit", "/api/v1/audit", 3, func(e *authEnv, a *actor) string {
			return "object_type=unit&object_id=" + itoa(e.randomUnit().ID)
		}),
		list("audit", "/api/v1/audit", 3, func(e *authEnv, a *actor) string { return "limit=1000" }),
		generator{name: "unit by parent code", weight: 5, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			parent := e.randomUnit(tenants.KindProvince, tenants.KindDistrict)
			code := e.nextCode()
			return authCase{Method: "POST", Path: "/api/v1/units", ContentType: "application/json",
				Body:       jsonBody(tenants.NewUnit{Code: code, Name: "Đơn vị mới " + code, Kind: childKind(parent), ParentCode: parent.Code}),
				Permission: perm("POST", "/api/v1/units"), OK: 201, Other: 400, InScope: e.covers(a, parent),
				Audit: func(res response) []auditWant { return []auditWant{{"unit.create", createdID(res)}} }}
		}},
		generator{name: "import with parents of several scopes", weight: 5, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			var b strings.Builder
			b.WriteString("code,name,kind,parent_code\n")
			in := true
			n := 1 + e.rng.IntN(2)
			for range n {
				parent := e.randomUnit(tenants.KindProvince, tenants.KindDistrict)
				in = in && e.covers(a, parent)
				code := e.nextCode()
				kind := childKind(parent)
				fmt.Fprintf(&b, "%s,Đơn vị nhập %s,%s,%s\n", code, code, kind, parent.Code)
				if kind == tenants.KindDistrict && e.rng.IntN(4) == 0 {
					// A ward under the district of the same file.
					w := e.nextCode()
					fmt.Fprintf(&b, "%s,Xã nhập %s,ward,%s\n", w, w, code)
				}
			}
			return authCase{Method: "POST", Path: "/api/v1/units/import", ContentType: "text/csv", Body: b.String(),
				Permission: perm("POST", "/api/v1/units/import"), OK: 201, Other: 400, InScope: in,
				Audit: func(response) []auditWant { return []auditWant{{"unit.import", homeID(a)}} }}
		}},
		generator{name: "plans by ids of any scope", weight: 4, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			q := []string{"limit=1000"}
			if e.rng.IntN(2) == 0 {
				q = append(q, "target_area_id="+itoa(e.areaFor(e.randomUnit(), nil)))
			}
			if e.rng.IntN(2) == 0 {
				q = append(q, "unit_id="+itoa(e.randomUnit().ID))
			}
			if e.rng.IntN(3) == 0 {
				q = append(q, "campaign_id="+itoa(e.campaignFor(e.randomUnit(), nil)))
			}
			return authCase{Method: "GET", Path: "/api/v1/plans?" + strings.Join(q, "&"), Permission: perm("GET", "/api/v1/plans"), OK: 200, Other: 200, InScope: true}
		}},
		list("target areas by ids of any scope", "/api/v1/target-areas", 4, func(e *authEnv, a *actor) string {
			return fmt.Sprintf("campaign_id=%d&unit_id=%d", e.campaignFor(e.randomUnit(), nil), e.randomUnit(tenants.KindWard).ID)
		}),
		list("target areas of a campaign of any scope", "/api/v1/target-areas", 3, func(e *authEnv, a *actor) string {
			return fmt.Sprintf("campaign_id=%d&status=%s&limit=1000", e.campaignFor(e.randomUnit(), nil), []string{"proposed", "approved", "in_progress", "exited"}[e.rng.IntN(4)])
		}),
		generator{name: "evidence of any owner", weight: 4, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			ownerType, _, id := e.ownerObject(e.randomUnit())
			return authCase{Method: "GET", Path: fmt.Sprintf("/api/v1/attachments?owner_type=%s&owner_id=%d", ownerType, id), Permission: perm("GET", "/api/v1/attachments"), OK: 200, Other: 200, InScope: true}
		}},
		list("audit about campaign objects", "/api/v1/audit", 4, func(e *authEnv, a *actor) string {
			st := e.tree.state
			kinds := []struct {
				typ string
				ids []int64
			}{{"plan", sortedKeys(st.plans)}, {"report", sortedKeys(st.reports)}, {"target_area", sortedKeys(st.areas)}, {"attachment", sortedKeys(st.attachments)}, {"campaign", sortedKeys(st.campaigns)}}
			k := kinds[e.rng.IntN(len(kinds))]
			return fmt.Sprintf("object_type=%s&object_id=%d&limit=1000", k.typ, k.ids[e.rng.IntN(len(k.ids))])
		}),
		generator{name: "report figures by role", weight: 8, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			// Figures of every entering role; those the caller's roles may
			// not enter are refused with 403 naming exactly them.
			codes := []string{"patrols", "propaganda_sessions", "incidents_current", "organised_crime", "community_rules", "political_system", "new_drug_users", "models_active", "weapons_collected"}
			values := map[string]any{}
			var sent []string
			for range 1 + e.rng.IntN(3) {
				c := codes[e.rng.IntN(len(codes))]
				switch c {
				case "organised_crime":
					values[c] = false
				case "community_rules":
					values[c] = true
				case "political_system":
					values[c] = map[string]any{"met": true, "note": "Vững mạnh"}
				default:
					values[c] = 2 + e.rng.IntN(5) // models_active stays ≥ the effective ones
				}
				if !slices.Contains(sent, c) {
					sent = append(sent, c)
				}
			}
			who := a
			if who == nil {
				who = &actor{user: &identity.User{}}
			}
			area, period := e.areaFor(e.nearUnit(a), nil), e.period()
			c := e.saveCase(t, who, area, period, reportPath(area, period), values, refusedFigures(who.user.Roles, sent))
			c.ContentType, c.Permission = "application/json", perm("PATCH", "/api/v1/target-areas/:id/reports/:period")
			return c
		}},
		generator{name: "task naming units and members of any scope", weight: 3, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			who := a
			if who == nil {
				who = &actor{user: &identity.User{}}
			}
			plan := e.editablePlan(t, who, e.nearUnit(a), "plan:write")
			unit, member := e.nearUnit(a), e.ownedFor(e.nearUnit(a), e.tree.state.members)
			ok := okIf(e.isAuthor(who, plan), 201, 403)
			// A responsible unit of the author's province, a member of its committee.
			if ok == 201 && (tenantOf(e, unit.ID) != tenantOf(e, unitOf(who)) || e.tree.state.members[member] != unitOf(who)) {
				ok = 400
			}
			body := map[string]any{"version": e.planVersion(t, plan), "section": "2.2", "title": "Tuần tra vũ trang " + e.nextCode(),
				"responsible_unit_ids": []int64{unit.ID}, "responsible_member_ids": []int64{member}}
			return authCase{Method: "POST", Path: fmt.Sprintf("/api/v1/plans/%d/tasks", plan), ContentType: "application/json", Body: jsonBody(body),
				Permission: perm("POST", "/api/v1/plans/:id/tasks"), OK: ok, Other: 404, InScope: e.sees(who, "plan", plan), Audit: auditedCreated("task.create")}
		}},
		generator{name: "report by raw id", weight: 2, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			ids := sortedKeys(e.tree.state.reports)
			id := 1 + e.rng.Int64N(ids[len(ids)-1]+5)
			who := a
			if who == nil {
				who = &actor{user: &identity.User{}}
			}
			return authCase{Method: "GET", Path: "/api/v1/reports/" + itoa(id), Permission: perm("GET", "/api/v1/reports/:id"), OK: 200, Other: 404, InScope: e.sees(who, "report", id)}
		}},
		generator{name: "approval of areas of several scopes", weight: 3, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			who := a
			if who == nil {
				who = &actor{user: &identity.User{}}
			}
			var ids []int64
			in := true
			for range 2 {
				id := e.areaFor(e.nearUnit(a), ptr(false))
				if slices.Contains(ids, id) {
					continue
				}
				e.prepare(t, who, "target:approve", "area", id, "UPDATE target_areas SET status = 'proposed' WHERE id = ? AND status <> 'proposed'", id)
				in = in && e.sees(who, "area", id)
				ids = append(ids, id)
			}
			return authCase{Method: "POST", Path: "/api/v1/target-areas/approve", ContentType: "application/json", Body: jsonBody(map[string]any{"ids": ids, "decision": decision}),
				Permission: perm("POST", "/api/v1/target-areas/approve"), OK: 200, Other: 400, InScope: in,
				Audit: func(response) []auditWant {
					var out []auditWant
					for _, id := range ids {
						out = append(out, auditWant{"target_area.approve", itoa(id)})
					}
					return out
				}}
		}},
		generator{name: "proposal of wards of several scopes", weight: 3, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			who := a
			if who == nil {
				who = &actor{user: &identity.User{}}
			}
			camp := e.ownCampaign(who)
			var wards []int64
			in, parent := true, true
			for range 2 {
				w := e.randomUnit(tenants.KindWard)
				if e.can(who, "target:propose") { // new wards: a unit is proposed once per campaign
					parent := e.nearUnit(who)
					if parent.Kind == tenants.KindWard {
						parent = e.unit(e.parentID(parent.ID))
					}
					w = e.s.mustChild(t, parent, tenants.KindWard, e.nextCode())
					e.resync(t)
				}
				wards = append(wards, w.ID)
				in = in && e.tree.covers(e.viewer(who), w.ID)
				parent = parent && e.isParent(who, w.ID)
			}
			// Wards the caller sees but is not directly above are refused
			// (a province proposes only the wards directly under it).
			return authCase{Method: "POST", Path: "/api/v1/target-areas", ContentType: "application/json",
				Body:       jsonBody(map[string]any{"campaign_id": camp, "unit_ids": wards, "reason": "Phức tạp về TTATXH"}),
				Permission: perm("POST", "/api/v1/target-areas"), OK: okIf(parent, 201, http.StatusForbidden), Other: 400, InScope: in, Audit: auditedItems("target_area.propose")}
		}},
		generator{name: "user by raw id", weight: 3, gen: func(t testing.TB, e *authEnv, a *actor) authCase {
			ids := sortedKeys(e.tree.state.users)
			id := 1 + e.rng.Int64N(ids[len(ids)-1]+5)
			c := authCase{Method: "GET", Path: "/api/v1/users/" + itoa(id), Permission: perm("GET", "/api/v1/users/:id"), OK: 200, Other: 404, InScope: e.userCovered(a, id)}
			if e.tree.state.users[id] == nil {
				c.OK = 404
			}
			return c
		}},
	)
	return gens
}

// envInt reads a positive integer from the environment.
func envInt(t testing.TB, name string, def uint64) uint64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

func TestRandomisedIsolation(t *testing.T) {
	// Its own databases and server, no Redis, no environment changes: it
	// overlaps with the other parallel tests.
	t.Parallel()
	seed := envInt(t, "CHUYENHOA_ISOLATION_SEED", 20250701)
	// The fast tier (-short) sends a tenth of the requests: every request
	// is checked the same way, the full run keeps the 10,000.
	defRequests := uint64(10000)
	if testing.Short() {
		defRequests = 1000
	}
	requests := int(envInt(t, "CHUYENHOA_ISOLATION_REQUESTS", defRequests))
	t.Logf("seed %d, %d requests per database (override with CHUYENHOA_ISOLATION_SEED, CHUYENHOA_ISOLATION_REQUESTS)", seed, requests)
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		start := time.Now()
		s := newTestServer(t, db)
		e := newAuthEnv(t, s)
		e.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		// The matrix reads the state around every request; here after
		// every write that reached its handler (see authEnv.strict).
		e.strict = false

		// 3 provinces × 3 districts × 5 wards, and 2 wards directly under
		// each province; a unit's own role and police at every unit.
		byRole := map[string][]*actor{}
		mk := func(unit *tenants.Unit, role string) {
			name := strings.ToLower(role + "-" + unit.Code)
			u := s.mustUser(t, name, unit, role)
			c := s.mustLogin(t, u)
			a := &actor{label: role + "@" + unit.Code, c: c, user: c.User, unit: unit}
			byRole[role] = append(byRole[role], a)
		}
		// Target areas: two wards of each district and one two-tier ward.
		var provinces []*tenants.Unit
		areas := map[*tenants.Unit][]*tenants.Unit{}
		for p := 1; p <= 3; p++ {
			pc := fmt.Sprintf("T%d", p)
			prov := s.mustChild(t, nil, tenants.KindProvince, pc)
			provinces = append(provinces, prov)
			units := []*tenants.Unit{prov}
			for d := 1; d <= 3; d++ {
				dist := s.mustChild(t, prov, tenants.KindDistrict, fmt.Sprintf("%sH%d", pc, d))
				units = append(units, dist)
				for w := 1; w <= 5; w++ {
					ward := s.mustChild(t, dist, tenants.KindWard, fmt.Sprintf("%sH%dX%d", pc, d, w))
					units = append(units, ward)
					if w <= 2 {
						areas[prov] = append(areas[prov], ward)
					}
				}
			}
			for w := 1; w <= 2; w++ {
				ward := s.mustChild(t, prov, tenants.KindWard, fmt.Sprintf("%sX%d", pc, w))
				units = append(units, ward)
				if w == 1 {
					areas[prov] = append(areas[prov], ward)
				}
			}
			for _, u := range units {
				mk(u, kindRole(u))
				mk(u, authz.RolePolice)
			}
		}
		for i := 1; i <= 2; i++ {
			u := s.mustUser(t, fmt.Sprintf("quantri%d", i), nil, authz.RoleAdmin)
			c := s.mustLogin(t, u)
			byRole[authz.RoleAdmin] = append(byRole[authz.RoleAdmin], &actor{label: "admin " + u.Username, c: c, user: c.User})
		}
		e.resync(t)
		for _, prov := range provinces {
			e.mustCampaigns(t, prov, areas[prov])
		}
		st := e.tree.state
		nUnits, nUsers := len(st.units), len(st.users)
		t.Logf("fixture: %d units, %d users, %d campaigns, %d target areas, %d plans, %d tasks, %d reports, %d attachments, %d committee members, %d models, built in %v",
			nUnits, nUsers, len(st.campaigns), len(st.areas), len(st.plans), len(st.tasks), len(st.reports), len(st.attachments), len(st.members), len(st.models),
			time.Since(start).Round(time.Millisecond))

		gens := isolationGenerators(t, s)
		total := 0
		for _, g := range gens {
			total += g.weight
		}
		roles := authz.Roles[:]
		type tally struct {
			n, out, ok int
			dur        time.Duration
		}
		perGen := map[string]*tally{}
		writes, outside := 0, 0
		run := time.Now()
		for i := range requests {
			var a *actor
			if e.rng.IntN(50) > 0 { // 2% anonymous
				as := byRole[roles[e.rng.IntN(len(roles))]]
				a = as[e.rng.IntN(len(as))]
			}
			k := e.rng.IntN(total)
			var g generator
			for _, g = range gens {
				if k < g.weight {
					break
				}
				k -= g.weight
			}
			c := g.gen(t, e, a)
			if a == nil && c.Permission == api.Public {
				continue
			}
			want := e.expect(a, c)
			t0 := time.Now()
			res := e.run(t, fmt.Sprintf("request %d (%s as %s)", i, g.name, label(a)), a, c, want)
			tl := perGen[g.name]
			if tl == nil {
				tl = &tally{}
				perGen[g.name] = tl
			}
			tl.n++
			tl.dur += time.Since(t0)
			if !c.InScope {
				tl.out++
				outside++
			}
			if res.Status < 300 {
				tl.ok++
				if c.Method != http.MethodGet {
					writes++
				}
			}
			if t.Failed() {
				t.Fatalf("stopping at request %d of seed %d", i, seed)
			}
		}
		elapsed := time.Since(run)
		t.Run("audit", func(t *testing.T) { e.checkAudit(t) })

		names := make([]string, 0, len(perGen))
		for n := range perGen {
			names = append(names, n)
		}
		sort.Strings(names)
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, "\n  %-40s %5d sent, %5d naming other scopes, %5d 2xx, %v", n, perGen[n].n, perGen[n].out, perGen[n].ok, perGen[n].dur.Round(time.Millisecond))
		}
		t.Logf("%d requests in %v (%d naming objects of other scopes, %d successful writes); %d leaks, %d writes outside the caller's subtree; units %d → %d, users %d → %d; statuses %v%s",
			len(e.sent), elapsed.Round(time.Millisecond), outside, writes, e.leaks, e.strayWrites, nUnits, len(e.tree.state.units), nUsers, len(e.tree.state.users), e.statuses, b.String())
	})
}

func label(a *actor) string {
	if a == nil {
		return "anonymous"
	}
	return a.label
}

// tenantOf returns the province a unit belongs to (the first id of its path).
func tenantOf(e *authEnv, unitID int64) int64 {
	u := e.tree.state.units[unitID]
	if u == nil {
		return 0
	}
	var p int64
	fmt.Sscan(strings.Split(strings.Trim(u.Path, "/"), "/")[0], &p)
	return p
}
