package api_test

// What the isolation checks know about the database: every unit, user,
// grant and token, read straight from the tables (not through the API), so
// that a response can be checked for objects outside the caller's subtree
// and a write for rows changed outside it. Later capabilities add their
// tables to readState and their JSON shapes to checkObject.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
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

// readState reads the snapshot (about 1 ms for a few hundred units and
// users: the isolation test reads it after every write).
func readState(t testing.TB, db *bun.DB) *dbState {
	t.Helper()
	ctx := context.Background()
	s := &dbState{units: map[int64]*stateUnit{}, users: map[int64]*stateUser{}, grants: map[string]int64{}, tokens: map[int64]string{}, tokenU: map[int64]int64{}}
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
var userRefKeys = map[string]bool{"user_id": true, "actor_id": true, "created_by": true, "updated_by": true}

// leaks returns what body shows of objects outside the viewer's subtree:
// unit and user objects, references to units and users, and strings that
// name them (codes, names, usernames, full names).
func (w *tree) leaks(v viewer, body []byte) []string {
	if v.all || len(body) == 0 {
		return nil
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
		w.checkObject(v, x, out)
		for k, val := range x {
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

// checkObject recognises the objects the API returns by their keys.
func (w *tree) checkObject(v viewer, o map[string]any, out *[]string) {
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := o[k]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("path", "kind", "code"): // a unit
		path, _ := o["path"].(string)
		if !strings.HasPrefix(path, v.path) {
			*out = append(*out, fmt.Sprintf("unit %v (%v) at %s is outside the subtree %s", o["id"], o["code"], path, v.path))
		}
	case has("username", "roles"): // a user
		id, _ := num(o["unit_id"])
		if o["unit_id"] == nil || !w.covers(v, id) {
			*out = append(*out, fmt.Sprintf("user %v (%v) of unit %v is outside the subtree %s", o["id"], o["username"], o["unit_id"], v.path))
		}
	case has("action", "object_type", "object_id"): // an audit entry
		id, ok := num(o["unit_id"])
		if !ok || !w.covers(v, id) {
			*out = append(*out, fmt.Sprintf("audit entry %v (%v) about unit %v outside the subtree %s", o["id"], o["action"], o["unit_id"], v.path))
		}
		oid, ok := num(o["object_id"])
		switch o["object_type"] {
		case "unit":
			if ok && !w.covers(v, oid) {
				*out = append(*out, fmt.Sprintf("audit entry %v (%v) about unit %d outside the subtree", o["id"], o["action"], oid))
			}
		case "user":
			if ok && !w.userCovered(v, oid) {
				*out = append(*out, fmt.Sprintf("audit entry %v (%v) about user %d outside the subtree", o["id"], o["action"], oid))
			}
		}
	}
}
