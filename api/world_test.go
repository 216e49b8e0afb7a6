package api_test

// What the isolation checks know about the database: every unit, user,
// grant and token, read straight from the tables (not through the API), so
// that a response can be checked for objects outside the caller's subtree
// and a write for rows changed outside it. Later capabilities add their
// tables to objectQuery and aggTables (readState) and their JSON shapes to
// checkObject.

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/authz/identity"
)

// stateUser is a users row as stored.
type stateUser struct {
	ID       int64
	Username string
	FullName string
	UnitID   *int64
	row      string // every column, to compare snapshots
}

// stateUnit is a units row as stored.
type stateUnit struct {
	ID                     int64
	Code, Name, Kind, Path string
	row                    string
}

// dbState is a snapshot of the rows that belong to a unit.
type dbState struct {
	units  map[int64]*stateUnit
	users  map[int64]*stateUser
	grants map[string]int64 // "user:ID,role,domain" → user id
	tokens map[int64]string // token id → user id and times
	tokenU map[int64]int64  // token id → user id
	policy string           // the p rules, which nothing may change
	// agg fingerprints the rows of each campaign and report table by the
	// unit that owns them ("table owner" → count, id sum, versions…): a
	// write shows as the owners whose rows changed.
	agg map[aggKey]string
	// The objects of campaigns and reports and what they belong to.
	campaigns   map[int64]int64 // id → province
	areas       map[int64]stateArea
	plans       map[int64]statePlan
	tasks       map[int64]int64 // id → plan
	notes       map[int64]int64 // id → task
	reports     map[int64]stateReport
	attachments map[int64]int64 // id → owning unit
	members     map[int64]int64 // id → unit
	models      map[int64]int64 // id → unit
	evaluations map[int64]int64 // id → unit
	baselines   map[int64]int64 // id → target area
	exits       map[int64]int64 // id → target area
}

// stateArea is a target area: its unit and campaign.
type stateArea struct{ unit, campaign int64 }

// statePlan is a plan: its author unit and target area.
type statePlan struct{ unit, area int64 }

// stateReport is a report: its unit and target area.
type stateReport struct{ unit, area int64 }

// aggKey names the rows of one table owned by one unit.
type aggKey struct {
	table string
	owner int64
}

// The row strings are built in SQL with what both dialects share.
const (
	unitsQuery = `SELECT id, code, name, kind, path, ` +
		`unit_type || '|' || COALESCE(CAST(parent_id AS TEXT), '-') || '|' || ` +
		`COALESCE(CAST(tenant_id AS TEXT), '-') || '|' || CAST(depth AS TEXT) || '|' || CAST(updated_at AS TEXT) FROM units`
	usersQuery = `SELECT id, username, full_name, unit_id, ` +
		`username || '|' || full_name || '|' || COALESCE(CAST(unit_id AS TEXT), '-') || '|' || status || '|' || password_hash || '|' || lang || '|' || ` +
		`CAST(updated_at AS TEXT) || '|' || COALESCE(CAST(last_login_at AS TEXT), '-') FROM users`
	rulesQuery  = `SELECT ptype, v0, v1, v2, v3 FROM casbin_rule`
	tokensQuery = `SELECT id, user_id, CAST(user_id AS TEXT) || '|' || COALESCE(CAST(revoked_at AS TEXT), '-') || '|' || CAST(expires_at AS TEXT) FROM api_tokens`
)

// objectQuery lists the objects of campaigns and reports as (kind, id,
// owner, other); aggTables fingerprint every table of them by owning unit.
// Both run as one statement (objectsAndAggQuery) after every write.
var objectQuery = strings.Join([]string{
	`SELECT 'campaign' AS k, id AS a, province_id AS b, 0 AS c, '' AS f FROM campaigns`,
	`SELECT 'area', id, unit_id, campaign_id, '' FROM target_areas`,
	`SELECT 'plan', id, unit_id, target_area_id, '' FROM plans`,
	`SELECT 'task', id, plan_id, 0, '' FROM plan_tasks`,
	`SELECT 'note', id, task_id, 0, '' FROM task_progress_notes`,
	`SELECT 'report', id, unit_id, target_area_id, '' FROM reports`,
	`SELECT 'attachment', id, unit_id, 0, '' FROM attachments`,
	`SELECT 'member', id, unit_id, 0, '' FROM committee_members`,
	`SELECT 'model', id, unit_id, 0, '' FROM models`,
	`SELECT 'evaluation', id, unit_id, 0, '' FROM evaluations`,
	`SELECT 'baseline', id, target_area_id, 0, '' FROM baselines`,
	`SELECT 'exit', id, target_area_id, 0, '' FROM target_area_exits`,
}, " UNION ALL ")

// aggTable fingerprints one table: the rows of x (FROM clause) grouped by
// the unit that owns them; fp adds what an update changes (versions,
// statuses, times) to the count and the sum of ids.
type aggTable struct{ name, from, owner, id, fp string }

var aggTables = []aggTable{
	{"campaigns", "campaigns AS x", "x.province_id", "x.id", "SUM(x.version)||MAX(x.updated_at)"},
	{"target_areas", "target_areas AS x", "x.unit_id", "x.id", "SUM(x.version)||MAX(x.updated_at)||SUM(LENGTH(x.status))"},
	{"target_area_events", "target_area_events AS x JOIN target_areas AS o ON o.id = x.target_area_id", "o.unit_id", "x.id", ""},
	{"target_area_exits", "target_area_exits AS x JOIN target_areas AS o ON o.id = x.target_area_id", "o.unit_id", "x.id", "SUM(LENGTH(x.outcome))||MAX(x.decided_at)"},
	{"baselines", "baselines AS x JOIN target_areas AS o ON o.id = x.target_area_id", "o.unit_id", "x.id", "SUM(x.version)"},
	{"plans", "plans AS x", "x.unit_id", "x.id", "SUM(x.version)||MAX(x.updated_at)||SUM(LENGTH(x.status))"},
	{"plan_events", "plan_events AS x JOIN plans AS o ON o.id = x.plan_id", "o.unit_id", "x.id", ""},
	{"plan_objectives", "plan_objectives AS x JOIN plans AS o ON o.id = x.plan_id", "o.unit_id", "x.id", ""},
	{"plan_tasks", "plan_tasks AS x JOIN plans AS o ON o.id = x.plan_id", "o.unit_id", "x.id", "SUM(x.version)"},
	{"budget_lines", "budget_lines AS x JOIN plans AS o ON o.id = x.plan_id", "o.unit_id", "x.id", ""},
	{"task_progress_notes", "task_progress_notes AS x JOIN plan_tasks AS t ON t.id = x.task_id JOIN plans AS o ON o.id = t.plan_id", "o.unit_id", "x.id", ""},
	{"committee_members", "committee_members AS x", "x.unit_id", "x.id", "SUM(x.version)"},
	{"committee_assignments", "committee_assignments AS x JOIN committee_members AS o ON o.id = x.member_id", "o.unit_id", "x.member_id", "SUM(x.target_area_id)"},
	{"models", "models AS x", "x.unit_id", "x.id", "SUM(x.version)"},
	{"attachments", "attachments AS x", "x.unit_id", "x.id", ""},
	{"reports", "reports AS x", "x.unit_id", "x.id", "SUM(x.version)||SUM(LENGTH(x.status))"},
	{"report_revisions", "report_revisions AS x JOIN reports AS o ON o.id = x.report_id", "o.unit_id", "x.id", ""},
	{"report_events", "report_events AS x JOIN reports AS o ON o.id = x.report_id", "o.unit_id", "x.id", ""},
	{"evaluations", "evaluations AS x", "x.unit_id", "x.id", "MAX(x.updated_at)"},
	{"idempotency_keys", "idempotency_keys AS x LEFT JOIN users AS o ON o.id = x.user_id", "o.unit_id", "x.id", "SUM(x.status)"},
}

// objectsAndAggQuery is objectQuery and the fingerprints of aggTables in one statement.
var objectsAndAggQuery = func() string {
	parts := []string{objectQuery}
	for _, t := range aggTables {
		fp := "CAST(COUNT(*) AS TEXT) || ':' || COALESCE(CAST(SUM(" + t.id + ") AS TEXT), '-')"
		for _, part := range strings.Split(t.fp, "||") {
			if part != "" {
				fp += " || ':' || COALESCE(CAST(" + part + " AS TEXT), '-')"
			}
		}
		parts = append(parts, fmt.Sprintf("SELECT '=%s', COALESCE(%s, 0), 0, 0, %s FROM %s GROUP BY %s", t.name, t.owner, fp, t.from, t.owner))
	}
	return strings.Join(parts, " UNION ALL ")
}()

// readState reads the snapshot (about 1 ms for a few hundred units and
// users: the isolation test reads it after every write).
func readState(t testing.TB, db *bun.DB) *dbState {
	t.Helper()
	ctx := context.Background()
	s := &dbState{units: map[int64]*stateUnit{}, users: map[int64]*stateUser{}, grants: map[string]int64{}, tokens: map[int64]string{}, tokenU: map[int64]int64{},
		agg: map[aggKey]string{}, campaigns: map[int64]int64{}, areas: map[int64]stateArea{}, plans: map[int64]statePlan{},
		tasks: map[int64]int64{}, notes: map[int64]int64{}, reports: map[int64]stateReport{}, attachments: map[int64]int64{},
		members: map[int64]int64{}, models: map[int64]int64{}, evaluations: map[int64]int64{}, baselines: map[int64]int64{}, exits: map[int64]int64{}}
	query := func(q string, scan func(rows *sql.Rows) error) {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	query(unitsQuery, func(rows *sql.Rows) error {
		u := new(stateUnit)
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.Path, &u.row); err != nil {
			return err
		}
		u.row = u.Code + "|" + u.Name + "|" + u.Kind + "|" + u.Path + "|" + u.row
		s.units[u.ID] = u
		return nil
	})
	query(usersQuery, func(rows *sql.Rows) error {
		u := new(stateUser)
		var unit sql.NullInt64
		if err := rows.Scan(&u.ID, &u.Username, &u.FullName, &unit, &u.row); err != nil {
			return err
		}
		if unit.Valid {
			u.UnitID = &unit.Int64
		}
		s.users[u.ID] = u
		return nil
	})
	var policy []string
	query(rulesQuery, func(rows *sql.Rows) error {
		var ptype, v0, v1, v2, v3 string
		if err := rows.Scan(&ptype, &v0, &v1, &v2, &v3); err != nil {
			return err
		}
		if ptype != "g" {
			policy = append(policy, strings.Join([]string{ptype, v0, v1, v2, v3}, ","))
			return nil
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(v0, "user:"), 10, 64)
		if err != nil {
			return fmt.Errorf("grant %s: %w", v0, err)
		}
		s.grants[v0+","+v1+","+v2] = id
		return nil
	})
	slices.Sort(policy)
	s.policy = strings.Join(policy, "\n")
	query(tokensQuery, func(rows *sql.Rows) error {
		var id, user int64
		var row string
		if err := rows.Scan(&id, &user, &row); err != nil {
			return err
		}
		s.tokens[id], s.tokenU[id] = row, user
		return nil
	})
	query(objectsAndAggQuery, func(rows *sql.Rows) error {
		var k, f string
		var a, b, c int64
		if err := rows.Scan(&k, &a, &b, &c, &f); err != nil {
			return err
		}
		switch k {
		case "campaign":
			s.campaigns[a] = b
		case "area":
			s.areas[a] = stateArea{unit: b, campaign: c}
		case "plan":
			s.plans[a] = statePlan{unit: b, area: c}
		case "task":
			s.tasks[a] = b
		case "note":
			s.notes[a] = b
		case "report":
			s.reports[a] = stateReport{unit: b, area: c}
		case "attachment":
			s.attachments[a] = b
		case "member":
			s.members[a] = b
		case "model":
			s.models[a] = b
		case "evaluation":
			s.evaluations[a] = b
		case "baseline":
			s.baselines[a] = b
		case "exit":
			s.exits[a] = b
		default:
			s.agg[aggKey{strings.TrimPrefix(k, "="), a}] = f
		}
		return nil
	})
	return s
}

// change is one row that differs between two snapshots, with the unit
// that owns it (0: the platform, -1: the policy).
type change struct {
	row   string
	owner int64
}

// diff lists the rows changed, added or removed from s to after.
func (s *dbState) diff(after *dbState) []change {
	var out []change
	userUnit := func(id int64) int64 {
		for _, st := range []*dbState{after, s} {
			if u := st.users[id]; u != nil {
				if u.UnitID == nil {
					return 0
				}
				return *u.UnitID
			}
		}
		return 0
	}
	for id := range union(s.units, after.units) {
		if a, b := s.units[id], after.units[id]; a == nil || b == nil || a.row != b.row {
			out = append(out, change{fmt.Sprintf("unit %d", id), id})
		}
	}
	for id := range union(s.users, after.users) {
		if a, b := s.users[id], after.users[id]; a == nil || b == nil || a.row != b.row {
			out = append(out, change{fmt.Sprintf("user %d", id), userUnit(id)})
		}
	}
	for g := range union(s.grants, after.grants) {
		if _, ok := s.grants[g]; !ok {
			out = append(out, change{"grant " + g, userUnit(after.grants[g])})
		} else if _, ok := after.grants[g]; !ok {
			out = append(out, change{"revoked grant " + g, userUnit(s.grants[g])})
		}
	}
	for id := range union(s.tokens, after.tokens) {
		if s.tokens[id] != after.tokens[id] {
			uid := after.tokenU[id]
			if uid == 0 {
				uid = s.tokenU[id]
			}
			out = append(out, change{fmt.Sprintf("token %d", id), userUnit(uid)})
		}
	}
	if s.policy != after.policy {
		out = append(out, change{"policy", -1})
	}
	for k := range union(s.agg, after.agg) {
		if s.agg[k] != after.agg[k] {
			out = append(out, change{fmt.Sprintf("%s of unit %d (%s → %s)", k.table, k.owner, s.agg[k], after.agg[k]), k.owner})
		}
	}
	return out
}

func union[K comparable, V any](a, b map[K]V) map[K]bool {
	out := make(map[K]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// tree indexes a snapshot for the leak checker; it remembers every code,
// name, username and full name ever seen, so an old name of a renamed unit
// still counts as that unit's.
type tree struct {
	state  *dbState
	byCode map[string]*stateUnit
	// strUnit and strUser map the strings that identify an object (unit
	// code and name; username and full name) to it.
	strUnit map[string]int64
	strUser map[string]int64
}

func newTree() *tree {
	return &tree{strUnit: map[string]int64{}, strUser: map[string]int64{}}
}

// update makes the tree the snapshot st.
func (w *tree) update(st *dbState) {
	w.state = st
	w.byCode = make(map[string]*stateUnit, len(st.units))
	for _, u := range st.units {
		w.byCode[u.Code] = u
		w.strUnit[u.Code] = u.ID
		w.strUnit[u.Name] = u.ID
	}
	for _, u := range st.users {
		w.strUser[u.Username] = u.ID
		w.strUser[u.FullName] = u.ID
	}
}

// unitsOfKind returns the units of one kind, in id order.
func (w *tree) unitsOfKind(kind string) []*stateUnit {
	var out []*stateUnit
	for _, u := range w.state.units {
		if kind == "" || u.Kind == kind {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *stateUnit) int { return int(a.ID - b.ID) })
	return out
}

// usersAt returns the users of a unit (0: the platform), in id order.
func (w *tree) usersAt(unitID int64) []*stateUser {
	var out []*stateUser
	for _, u := range w.state.users {
		if (u.UnitID == nil && unitID == 0) || (u.UnitID != nil && *u.UnitID == unitID) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b *stateUser) int { return int(a.ID - b.ID) })
	return out
}

// viewer is what one caller may see: its home unit's subtree (all for the
// platform), and the units above it, whose ids its own path names.
type viewer struct {
	all       bool
	path      string
	ancestors map[int64]bool
}

// viewerOf returns the viewer of u (nil: nobody, who sees nothing).
func (w *tree) viewerOf(u *identity.User) viewer {
	if u == nil {
		return viewer{path: "/nobody/"}
	}
	if u.UnitID == nil {
		return viewer{all: true}
	}
	home := w.state.units[*u.UnitID]
	v := viewer{path: home.Path, ancestors: map[int64]bool{}}
	for _, p := range strings.Split(strings.Trim(home.Path, "/"), "/") {
		id, _ := strconv.ParseInt(p, 10, 64)
		if id != home.ID {
			v.ancestors[id] = true
		}
	}
	return v
}

// covers reports whether the unit is inside the viewer's subtree.
func (w *tree) covers(v viewer, unitID int64) bool {
	if v.all {
		return true
	}
	u := w.state.units[unitID]
	return u != nil && strings.HasPrefix(u.Path, v.path)
}

// knows reports whether the viewer may see a reference to the unit: inside
// its subtree or above it.
func (w *tree) knows(v viewer, unitID int64) bool {
	return w.covers(v, unitID) || v.ancestors[unitID]
}

// userCovered reports whether the user belongs to the viewer's subtree.
func (w *tree) userCovered(v viewer, userID int64) bool {
	if v.all {
		return true
	}
	u := w.state.users[userID]
	return u != nil && u.UnitID != nil && w.covers(v, *u.UnitID)
}

// userKnown reports whether the viewer may see the user named as an actor:
// a user of its subtree, of a unit above it, or of the platform.
func (w *tree) userKnown(v viewer, userID int64) bool {
	u := w.state.users[userID]
	if u == nil {
		return true // not a user id (a permission, a count …)
	}
	return v.all || u.UnitID == nil || w.knows(v, *u.UnitID)
}

// unitRefKeys are JSON keys whose number is a unit id.
var unitRefKeys = map[string]bool{"unit_id": true, "parent_id": true, "tenant_id": true, "actor_unit_id": true,
	"province_id": true, "district_id": true, "ward_id": true, "root": true}

// userRefKeys are JSON keys whose number is a user id.
var userRefKeys = map[string]bool{"user_id": true, "actor_id": true, "created_by": true, "updated_by": true,
	"actor_user_id": true, "author_user_id": true, "submitted_by": true, "proposed_by": true, "decided_by": true, "entered_by": true}

// objectRefKeys are JSON keys whose number is the id of an object of a
// kind sees knows. (Ids that name what a visible object itself points at —
// a task's responsible units and members, a note's attachments — are left
// alone: a plan's reader sees them by design.)
var objectRefKeys = map[string]string{"campaign_id": "campaign", "target_area_id": "area", "target_area_ids": "area",
	"carried_from_id": "area", "plan_id": "plan", "copied_from_id": "plan", "task_id": "task", "report_id": "report"}

// auditObjectKinds maps the object types of audit entries to the kinds of sees.
var auditObjectKinds = map[string]string{"campaign": "campaign", "target_area": "area", "plan": "plan", "task": "task",
	"progress_note": "note", "report": "report", "attachment": "attachment", "committee_member": "member", "model": "model"}

// exists reports whether an object of kind has the id.
func (w *tree) exists(kind string, id int64) bool {
	st := w.state
	switch kind {
	case "campaign":
		_, ok := st.campaigns[id]
		return ok
	case "area":
		_, ok := st.areas[id]
		return ok
	case "plan":
		_, ok := st.plans[id]
		return ok
	case "task":
		_, ok := st.tasks[id]
		return ok
	case "note":
		_, ok := st.notes[id]
		return ok
	case "report":
		_, ok := st.reports[id]
		return ok
	case "attachment":
		_, ok := st.attachments[id]
		return ok
	case "member":
		_, ok := st.members[id]
		return ok
	case "model":
		_, ok := st.models[id]
		return ok
	}
	return false
}

// sees reports whether the viewer may see the object of kind with the id:
// a campaign belongs to its whole province; a target area, report,
// evaluation, attachment, committee member or model to its unit's subtree;
// a plan (with its tasks and notes) to its author's subtree and to the
// subtree of its target area's unit (a ward reads its district's plan for
// it). An id that names nothing is seen by nobody.
func (w *tree) sees(v viewer, kind string, id int64) bool {
	st := w.state
	switch kind {
	case "campaign":
		p, ok := st.campaigns[id]
		return ok && (v.all || w.knows(v, p))
	case "area":
		a, ok := st.areas[id]
		return ok && w.covers(v, a.unit)
	case "plan":
		p, ok := st.plans[id]
		return ok && (w.covers(v, p.unit) || w.covers(v, st.areas[p.area].unit))
	case "task":
		p, ok := st.tasks[id]
		return ok && w.sees(v, "plan", p)
	case "note":
		t, ok := st.notes[id]
		return ok && w.sees(v, "task", t)
	case "report":
		r, ok := st.reports[id]
		return ok && w.covers(v, r.unit)
	case "attachment":
		u, ok := st.attachments[id]
		return ok && w.covers(v, u)
	case "member":
		u, ok := st.members[id]
		return ok && w.covers(v, u)
	case "model":
		u, ok := st.models[id]
		return ok && w.covers(v, u)
	case "evaluation":
		u, ok := st.evaluations[id]
		return ok && w.covers(v, u)
	}
	return false
}

// leaks returns what body shows of objects outside the viewer's subtree:
// unit and user objects, references to units and users, and strings that
// name them (codes, names, usernames, full names).
func (w *tree) leaks(v viewer, body []byte) []string {
	if v.all || len(body) == 0 {
		return nil
	}
	if bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return w.workbookLeaks(v, body)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		// Not JSON (an HTML page): check the strings of the raw text.
		var out []string
		for s, id := range w.strUnit {
			if !w.covers(v, id) && bytes.Contains(body, []byte(s)) {
				out = append(out, fmt.Sprintf("unit %d named %q", id, s))
			}
		}
		return out
	}
	var out []string
	w.walk(v, doc, "", &out)
	return out
}

func (w *tree) walk(v viewer, x any, key string, out *[]string) {
	switch x := x.(type) {
	case map[string]any:
		skip := w.checkObject(v, x, out)
		for k, val := range x {
			if _, isString := val.(string); isString && skip[k] {
				continue
			}
			w.walk(v, val, k, out)
		}
	case []any:
		for _, val := range x {
			w.walk(v, val, key, out)
		}
	case json.Number:
		id, err := x.Int64()
		if err != nil {
			return
		}
		if unitRefKeys[key] && w.state.units[id] != nil && !w.knows(v, id) {
			*out = append(*out, fmt.Sprintf("%s %d: a unit outside the caller's subtree", key, id))
		}
		if userRefKeys[key] && !w.userKnown(v, id) {
			*out = append(*out, fmt.Sprintf("%s %d: a user outside the caller's subtree", key, id))
		}
		if kind, ok := objectRefKeys[key]; ok && w.exists(kind, id) && !w.sees(v, kind, id) {
			*out = append(*out, fmt.Sprintf("%s %d: a %s outside the caller's reach", key, id, kind))
		}
	case string:
		if id, ok := w.strUnit[x]; ok && !w.covers(v, id) {
			*out = append(*out, fmt.Sprintf("%q names unit %d outside the caller's subtree", x, id))
		}
		if id, ok := w.strUser[x]; ok && !w.userKnown(v, id) {
			*out = append(*out, fmt.Sprintf("%q names user %d outside the caller's subtree", x, id))
		}
	}
}

func num(x any) (int64, bool) {
	switch n := x.(type) {
	case json.Number:
		v, err := n.Int64()
		return v, err == nil
	case string:
		v, err := strconv.ParseInt(n, 10, 64)
		return v, err == nil
	}
	return 0, false
}

// checkObject recognises the objects the API returns by their keys and
// reports those outside the viewer's reach. It returns the keys whose
// strings the object may show although they name a unit outside the
// viewer's subtree (a district plan's author, read by the ward it is about).
func (w *tree) checkObject(v viewer, o map[string]any, out *[]string) (skip map[string]bool) {
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := o[k]; !ok {
				return false
			}
		}
		return true
	}
	id := func(key string) int64 {
		n, _ := num(o[key])
		return n
	}
	leak := func(format string, args ...any) { *out = append(*out, fmt.Sprintf(format, args...)) }
	// reach: an object the world does not know (deleted, or not read yet)
	// is judged by its own shape, not by what it points at.
	reach := func(kind string, key string) bool {
		n := id(key)
		return !w.exists(kind, n) || w.sees(v, kind, n)
	}
	unitOutside := func(what string) {
		if u, ok := num(o["unit_id"]); !ok || !w.covers(v, u) {
			leak("%s %v of unit %v is outside the subtree %s", what, o["id"], o["unit_id"], v.path)
		}
	}
	switch {
	case has("path", "kind", "code"): // a unit
		path, _ := o["path"].(string)
		if !strings.HasPrefix(path, v.path) {
			leak("unit %v (%v) at %s is outside the subtree %s", o["id"], o["code"], path, v.path)
		}
	case has("username", "roles"): // a user
		id, _ := num(o["unit_id"])
		if o["unit_id"] == nil || !w.covers(v, id) {
			leak("user %v (%v) of unit %v is outside the subtree %s", o["id"], o["username"], o["unit_id"], v.path)
		}
	case has("action", "object_type", "object_id"): // an audit entry
		id, ok := num(o["unit_id"])
		if !ok || !w.covers(v, id) {
			leak("audit entry %v (%v) about unit %v outside the subtree %s", o["id"], o["action"], o["unit_id"], v.path)
		}
		oid, ok := num(o["object_id"])
		typ, _ := o["object_type"].(string)
		switch {
		case !ok:
		case typ == "unit":
			if !w.covers(v, oid) {
				leak("audit entry %v (%v) about unit %d outside the subtree", o["id"], o["action"], oid)
			}
		case typ == "user":
			if !w.userCovered(v, oid) {
				leak("audit entry %v (%v) about user %d outside the subtree", o["id"], o["action"], oid)
			}
		case auditObjectKinds[typ] != "":
			if kind := auditObjectKinds[typ]; w.exists(kind, oid) && !w.sees(v, kind, oid) {
				leak("audit entry %v (%v) about %s %d outside the caller's reach", o["id"], o["action"], typ, oid)
			}
		}
	case has("province_unit_id", "year"): // a campaign
		if p, _ := num(o["province_unit_id"]); !v.all && !w.knows(v, p) {
			leak("campaign %v of province %d outside the caller's province", o["id"], p)
		}
	case has("proposed_by_unit_id", "unit_id"): // a target area
		unitOutside("target area")
	case has("submitted_revision", "unit_id"): // a report
		unitOutside("report")
	case has("met_count", "unit_id"): // an evaluation
		unitOutside("evaluation")
	case has("target_area_id", "unit_id", "title", "status"): // a plan
		if !w.covers(v, id("unit_id")) {
			if a, ok := w.state.areas[id("target_area_id")]; !ok || !w.covers(v, a.unit) {
				leak("plan %v of unit %v about target area %v is outside the caller's reach", o["id"], o["unit_id"], o["target_area_id"])
			}
			// The author above the caller writes the plan about its area.
			return map[string]bool{"unit_name": true}
		}
	case has("plan_id", "section", "title"): // a task
		if !reach("plan", "plan_id") {
			leak("task %v of plan %v outside the caller's reach", o["id"], o["plan_id"])
		}
	case has("task_id", "author_user_id"): // a progress note
		if !reach("task", "task_id") {
			leak("progress note %v of task %v outside the caller's reach", o["id"], o["task_id"])
		}
	case has("user_id", "kind", "count", "hour"): // a denial counter
		unitOutside("denial counter")
	case has("owner_type", "owner_id", "sha256"): // an attachment
		unitOutside("attachment")
	case has("full_name", "position", "target_area_ids"): // a committee member
		unitOutside("committee member")
	case has("members_count", "type"): // a self-management model
		unitOutside("model")
	case has("incidents", "period_from", "target_area_id"), has("evidence", "outcome", "target_area_id"): // a baseline, an exit
		if !reach("area", "target_area_id") {
			leak("baseline or exit %v of target area %v outside the caller's reach", o["id"], o["target_area_id"])
		}
	case has("report_id", "revision", "values"), has("report_id", "action", "from_status"): // a revision, a report event
		if !reach("report", "report_id") {
			leak("revision or event %v of report %v outside the caller's reach", o["id"], o["report_id"])
		}
	case has("target_area_id", "action", "actor_role"): // a target-area event
		if !reach("area", "target_area_id") {
			leak("event %v of target area %v outside the caller's reach", o["id"], o["target_area_id"])
		}
	case has("plan_id", "action", "from_status"): // a plan event
		if !reach("plan", "plan_id") {
			leak("event %v of plan %v outside the caller's reach", o["id"], o["plan_id"])
		}
	case has("campaign_id", "periods", "locked"), has("campaign_id", "groups", "indicators"): // a calendar, a catalogue
		if !reach("campaign", "campaign_id") {
			leak("calendar or catalogue of campaign %v outside the caller's province", o["campaign_id"])
		}
	}
	return nil
}

// workbookLeaks checks the cell texts of an .xlsx answer (a zip whose raw
// bytes would match any short name by chance): a cell naming a unit the
// viewer may not know is a leak. The units above the viewer (the heading
// names the issuing committee) are known to it.
func (w *tree) workbookLeaks(v viewer, body []byte) []string {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return []string{"answer is a broken zip: " + err.Error()}
	}
	var texts []string
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return []string{"workbook part " + f.Name + ": " + err.Error()}
		}
		dec := xml.NewDecoder(rc)
		inText := false
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch t := tok.(type) {
			case xml.StartElement:
				inText = t.Name.Local == "t"
			case xml.EndElement:
				inText = false
			case xml.CharData:
				if inText {
					texts = append(texts, string(t))
				}
			}
		}
		rc.Close()
	}
	var out []string
	for s, id := range w.strUnit {
		if w.knows(v, id) {
			continue
		}
		for _, t := range texts {
			if t == s || strings.Contains(t, s) && len([]rune(s)) > 2 {
				out = append(out, fmt.Sprintf("unit %d named %q in a cell", id, s))
				break
			}
		}
	}
	return out
}
