package api_test

// The authorisation cases of the campaign and report routes (issues 4 and
// 5): campaigns (a province's), target areas (a ward's), plans (their
// author's, also readable where their target area lies), tasks, notes,
// budget, committee members, models, attachments, reports, revisions,
// evaluations, baselines, exits, calendars and indicator catalogues.
//
// Every case picks its object from the world model (tree) — in the matrix
// the target unit's own object, else one below or above it; in the
// isolation test any object half of the time — and derives the answer from
// the object's owner (visibility, 404 otherwise) and the rules of the
// route: the author unit alone edits a plan, the unit directly above a ward
// (its district, or the province for a ward directly under it) proposes it
// and its exit and reviews its plan and reports (403 for anyone else), the
// police alone enter crime figures (403 naming them), the police above a
// target area enter its baseline, and so on. Where success depends on
// workflow state the case first puts the object in the state it needs
// (behind the API, then resync), or derives the documented 409 from the
// stored state.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

func init() {
	for k, f := range campaignRouteCases {
		if _, dup := routeCases[k]; dup {
			panic("routeCases: " + k + " twice")
		}
		routeCases[k] = f
	}
}

// campaignEnv is what the campaign cases keep between requests.
type campaignEnv struct {
	// fx are the fixture's signed-in users by role@unit.
	fx map[string]*client
	// main are the target areas the fixture brought to in progress with an
	// accepted Year report meeting every criterion (the exit routes use
	// them); yearReports are those reports, which the report routes leave alone.
	main, yearReports map[int64]bool
	years             int
}

func (e *authEnv) cw() *campaignEnv {
	if e.camp == nil {
		e.camp = &campaignEnv{fx: map[string]*client{}, main: map[int64]bool{}, yearReports: map[int64]bool{}}
	}
	return e.camp
}

// as returns a signed-in fixture user with role at unit.
func (e *authEnv) as(t testing.TB, unit *tenants.Unit, role string) *client {
	t.Helper()
	key := role + "@" + itoa(unit.ID)
	if c := e.cw().fx[key]; c != nil {
		return c
	}
	c := e.s.mustLogin(t, e.s.mustUser(t, "fx-"+role+"-"+strings.ToLower(unit.Code), unit, role))
	e.cw().fx[key] = c
	return c
}

// unit returns the unit with the id as the tree knows it (nil when none).
func (e *authEnv) unit(id int64) *tenants.Unit {
	u := e.tree.state.units[id]
	if u == nil {
		return nil
	}
	return &tenants.Unit{ID: u.ID, Code: u.Code, Name: u.Name, Kind: u.Kind, Path: u.Path}
}

// parentID returns the id of the unit above (0 for a province).
func (e *authEnv) parentID(id int64) int64 {
	u := e.tree.state.units[id]
	if u == nil {
		return 0
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 {
		return 0
	}
	var p int64
	fmt.Sscan(parts[len(parts)-2], &p)
	return p
}

func campaignBody(year int) map[string]any {
	return map[string]any{"year": year,
		"decision":   map[string]any{"number": fmt.Sprintf("301/QĐ-BCĐ-%d", year), "date": fmt.Sprintf("%d-02-07", year), "signer": "Trưởng ban"},
		"references": []any{map[string]any{"number": "584/CAT-TM", "date": fmt.Sprintf("%d-02-23", year), "issuer": "Công an tỉnh"}}}
}

func planBody(area int64, title string) map[string]any {
	return map[string]any{"target_area_id": area, "title": title,
		"objectives": []any{map[string]any{"kind": "muc_tieu", "text": "Chuyển hóa thành công địa bàn trong năm"}},
		"tasks": []any{
			map[string]any{"section": "2.1", "title": "Lãnh đạo, chỉ đạo công tác chuyển hóa", "responsible": "Ban Chỉ đạo"},
			map[string]any{"section": "2.2", "title": "Tuyên truyền phòng ngừa tội phạm", "frequency": "hằng tháng"},
		},
		"budget": []any{map[string]any{"item": "Tuyên truyền", "amount": 5000000, "funding_source": "Ngân sách địa phương"}}}
}

var decision = map[string]any{"number": "301/QĐ-BCĐ", "date": "2024-02-07"}

// multipartFile is the body of an upload of evidence for an owner.
func multipartFile(ownerType string, ownerID int64, name string, content []byte) (contentType, body string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("owner_type", ownerType)
	mw.WriteField("owner_id", itoa(ownerID))
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return mw.FormDataContentType(), b.String()
}

// Report figures that meet every criterion (with the district's "met").
var (
	wardFigures   = map[string]any{"households": 100, "households_reached": 100, "models_active": 2, "models_effective": 1, "community_rules": true, "patrols": 3}
	policeFigures = map[string]any{"tips_received": 5, "tips_processed": 5, "organised_crime": false, "cases_initiated": 4, "cases_solved": 4,
		"serious_initiated": 1, "serious_solved": 1, "released_residing": 3, "reoffending": 0, "incidents_current": 40, "incidents_baseline": 50}
)

// mustCampaigns builds under prov what the campaign and report routes act
// on: the 2024 campaign with each ward of areas a target area in progress,
// proposed, started and reviewed by the unit directly above the ward (its
// district, or the province for a ward directly under it); per area the
// ward's plan (and, for the first area of a district, the district's), a
// progress note, evidence on the area, a task and the district plan, a
// committee member assigned to the area, a model, the baseline, a Q1
// report submitted and returned, and a Year report accepted with every
// criterion met; the 2025 campaign with the same wards approved (for the
// target-area workflow routes, and plans yet to write); a committee member
// at the province and every district.
func (e *authEnv) mustCampaigns(t testing.TB, prov *tenants.Unit, areas []*tenants.Unit) {
	t.Helper()
	prv := e.as(t, prov, "province")
	var c1, c2 campaigns.Campaign
	prv.serveJSON(t, "POST", "/api/v1/campaigns", campaignBody(2024), 201, &c1)
	prv.serveJSON(t, "POST", "/api/v1/campaigns", campaignBody(2025), 201, &c2)
	prv.serveJSON(t, "POST", fmt.Sprintf("/api/v1/units/%d/committee", prov.ID), map[string]any{"full_name": "Trưởng ban tỉnh " + prov.Code, "position": "head"}, 201, nil)
	e.resync(t)
	districts := map[int64]bool{}
	for _, w := range areas {
		parent := e.unit(e.parentID(w.ID))
		ward, police, above := e.as(t, w, "ward"), e.as(t, w, "police"), e.as(t, parent, "police")
		// The unit directly above the ward: a district, or the province
		// for a ward directly under it (two-tier).
		up := e.as(t, parent, kindRole(parent))
		var dist *client
		if parent.Kind == tenants.KindDistrict {
			dist = up
		}
		propose := func(camp int64) int64 {
			var l struct{ Items []campaigns.TargetArea }
			up.serveJSON(t, "POST", "/api/v1/target-areas", map[string]any{"campaign_id": camp, "unit_ids": []int64{w.ID}, "reason": "Phức tạp về TTATXH"}, 201, &l)
			return l.Items[0].ID
		}
		area := propose(c1.ID)
		prv.serveJSON(t, "POST", fmt.Sprintf("/api/v1/target-areas/%d/approve", area), map[string]any{"decision": decision}, 200, nil)
		up.serveJSON(t, "POST", fmt.Sprintf("/api/v1/target-areas/%d/start", area), "{}", 200, nil)
		next := propose(c2.ID)
		prv.serveJSON(t, "POST", fmt.Sprintf("/api/v1/target-areas/%d/approve", next), map[string]any{"decision": decision}, 200, nil)
		e.cw().main[area] = true

		var wp campaigns.Plan
		ward.serveJSON(t, "POST", "/api/v1/plans", planBody(area, "Kế hoạch chuyển hóa của xã"), 201, &wp)
		ward.serveJSON(t, "POST", fmt.Sprintf("/api/v1/tasks/%d/notes", wp.Tasks[0].ID), map[string]any{"text": "Đã họp triển khai"}, 201, nil)
		upload := func(c *client, ownerType string, ownerID int64) {
			ct, body := multipartFile(ownerType, ownerID, "bien-ban.pdf", pdf)
			if res := c.serve(t, "POST", "/api/v1/attachments", ct, strings.NewReader(body)); res.Status != 201 {
				t.Fatalf("upload %s %d = %d %s", ownerType, ownerID, res.Status, res.Body)
			}
		}
		upload(ward, campaigns.OwnerTargetArea, area)
		upload(ward, campaigns.OwnerTask, wp.Tasks[0].ID)
		if dist != nil && !districts[parent.ID] {
			districts[parent.ID] = true
			var dp campaigns.Plan
			dist.serveJSON(t, "POST", "/api/v1/plans", planBody(area, "Kế hoạch chuyển hóa của huyện"), 201, &dp)
			dist.serveJSON(t, "POST", fmt.Sprintf("/api/v1/tasks/%d/notes", dp.Tasks[0].ID), map[string]any{"text": "Đã ban hành kế hoạch"}, 201, nil)
			upload(dist, campaigns.OwnerPlan, dp.ID)
			dist.serveJSON(t, "POST", fmt.Sprintf("/api/v1/units/%d/committee", parent.ID), map[string]any{"full_name": "Phó ban huyện " + parent.Code, "position": "standing_deputy", "target_area_ids": []int64{area}}, 201, nil)
		}
		ward.serveJSON(t, "POST", fmt.Sprintf("/api/v1/units/%d/committee", w.ID), map[string]any{"full_name": "Ủy viên xã " + w.Code, "position": "member", "target_area_ids": []int64{area}}, 201, nil)
		ward.serveJSON(t, "POST", fmt.Sprintf("/api/v1/units/%d/models", w.ID), map[string]any{"name": "Tổ liên gia PCCC " + w.Code, "type": "lien_gia_pccc", "established_on": "2023-05-01", "members_count": 12, "effective": true}, 201, nil)
		above.serveJSON(t, "PUT", fmt.Sprintf("/api/v1/target-areas/%d/baseline", area), map[string]any{"incidents": 50, "period_from": "2022-12-15", "period_to": "2023-12-12", "version": 0}, 200, nil)

		save := func(c *client, period string, values map[string]any) apiReport {
			var r apiReport
			c.serveJSON(t, "GET", reportPath(area, period), nil, 200, &r)
			c.serveJSON(t, "PATCH", reportPath(area, period), map[string]any{"version": r.Version, "values": values}, 200, &r)
			return r
		}
		save(ward, "Q1", wardFigures)
		q1 := save(police, "Q1", policeFigures)
		ward.serveJSON(t, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", q1.ID), "{}", 200, nil)
		save(ward, domain.PeriodYear, wardFigures)
		year := save(police, domain.PeriodYear, policeFigures)
		ward.serveJSON(t, "POST", fmt.Sprintf("/api/v1/reports/%d/submit", year.ID), "{}", 200, nil)
		up.serveJSON(t, "POST", fmt.Sprintf("/api/v1/reports/%d/return", q1.ID), map[string]any{"reason": "Bổ sung số liệu tuần tra"}, 200, nil)
		up.serveJSON(t, "POST", fmt.Sprintf("/api/v1/reports/%d/accept", year.ID), "{}", 200, nil)
		up.serveJSON(t, "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", year.ID), map[string]any{"met": true, "note": "Hệ thống chính trị vững mạnh"}, 200, nil)
		e.cw().yearReports[year.ID] = true
	}
	e.resync(t)
}

// --- Reading the stored state the answers depend on. ---

func (e *authEnv) queryInt(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.s.DB.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func (e *authEnv) queryString(t testing.TB, q string, args ...any) string {
	t.Helper()
	var s string
	if err := e.s.DB.QueryRowContext(context.Background(), q, args...).Scan(&s); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

// set changes stored state behind the API (to put an object in the state
// a case needs) and re-reads the world when it changed anything.
func (e *authEnv) set(t testing.TB, q string, args ...any) {
	t.Helper()
	res, err := e.s.DB.ExecContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		e.resync(t)
	}
}

// can reports whether a's roles grant the permission.
func (e *authEnv) can(a *actor, permission string) bool { return e.roleCan(a, permission) }

// sees reports whether a may see the object.
func (e *authEnv) sees(a *actor, kind string, id int64) bool {
	return e.tree.sees(e.viewer(a), kind, id)
}

func unitOf(a *actor) int64 {
	if a.unit == nil {
		return 0
	}
	return a.unit.ID
}

// above reports whether a's unit lies strictly above the unit.
func (e *authEnv) above(a *actor, unitID int64) bool {
	u := e.tree.state.units[unitID]
	return a.unit != nil && u != nil && u.ID != a.unit.ID && strings.HasPrefix(u.Path, a.unit.Path)
}

// choose picks the object of a case about target among ids, each owned by
// owner(id): the phantom's is phantomID; in the matrix the lowest id owned
// by target, else below it, else above it, else the lowest; at random,
// half the time any, otherwise the same preference at random.
func (e *authEnv) choose(target *tenants.Unit, ids []int64, owner func(id int64) int64) int64 {
	if target.ID == phantomID || len(ids) == 0 {
		return phantomID
	}
	slices.Sort(ids)
	if e.rng != nil && e.rng.IntN(2) == 0 {
		return ids[e.rng.IntN(len(ids))]
	}
	var own, below, above []int64
	for _, id := range ids {
		o := e.tree.state.units[owner(id)]
		switch {
		case o == nil:
		case o.ID == target.ID:
			own = append(own, id)
		case strings.HasPrefix(o.Path, target.Path):
			below = append(below, id)
		case strings.HasPrefix(target.Path, o.Path):
			above = append(above, id)
		}
	}
	for _, l := range [][]int64{own, below, above, ids} {
		if len(l) > 0 {
			return l[e.pick(len(l))]
		}
	}
	return phantomID
}

func keysWhere[V any](m map[int64]V, keep func(id int64, v V) bool) []int64 {
	var out []int64
	for k, v := range m {
		if keep == nil || keep(k, v) {
			out = append(out, k)
		}
	}
	return out
}

// ownCampaign is a campaign of a's province: the first, or at random any.
func (e *authEnv) ownCampaign(a *actor) int64 {
	st := e.tree.state
	ids := keysWhere(st.campaigns, func(id, p int64) bool {
		return a.unit == nil || st.units[p] != nil && strings.HasPrefix(a.unit.Path, st.units[p].Path)
	})
	if len(ids) == 0 {
		return phantomID
	}
	slices.Sort(ids)
	return ids[e.pick(len(ids))]
}

func (e *authEnv) campaignFor(target *tenants.Unit, keep func(id int64) bool) int64 {
	st := e.tree.state
	return e.choose(target, keysWhere(st.campaigns, func(id, _ int64) bool { return keep == nil || keep(id) }), func(id int64) int64 { return st.campaigns[id] })
}

// areaFor picks a target area; main, when set, restricts it to the
// fixture's areas that may exit (true) or to the others (false).
func (e *authEnv) areaFor(target *tenants.Unit, main *bool) int64 {
	st := e.tree.state
	ids := keysWhere(st.areas, func(id int64, _ stateArea) bool { return main == nil || e.cw().main[id] == *main })
	return e.choose(target, ids, func(id int64) int64 { return st.areas[id].unit })
}

func (e *authEnv) planFor(target *tenants.Unit) int64 { return e.planWhere(target, nil) }

// planWhere picks a plan, in the matrix one that keep accepts when there is one.
func (e *authEnv) planWhere(target *tenants.Unit, keep func(id int64) bool) int64 {
	st := e.tree.state
	owner := func(id int64) int64 { return st.plans[id].unit }
	if ids := keysWhere(st.plans, func(id int64, _ statePlan) bool { return keep != nil && keep(id) }); e.rng == nil && len(ids) > 0 {
		return e.choose(target, ids, owner)
	}
	return e.choose(target, keysWhere(st.plans, nil), owner)
}

// areaWhere picks a target area, in the matrix one that keep accepts when there is one.
func (e *authEnv) areaWhere(target *tenants.Unit, keep func(id int64) bool) int64 {
	st := e.tree.state
	owner := func(id int64) int64 { return st.areas[id].unit }
	if ids := keysWhere(st.areas, func(id int64, _ stateArea) bool { return keep(id) }); e.rng == nil && len(ids) > 0 {
		return e.choose(target, ids, owner)
	}
	return e.choose(target, keysWhere(st.areas, nil), owner)
}

// plannable reports whether unit could start a plan for the area: the area
// is approved or in progress and the unit has none for it yet.
func (e *authEnv) plannable(t testing.TB, area, unit int64) bool {
	status := e.queryString(t, "SELECT status FROM target_areas WHERE id = ?", area)
	return (status == domain.TargetApproved || status == domain.TargetInProgress) &&
		e.queryInt(t, "SELECT COUNT(*) FROM plans WHERE target_area_id = ? AND unit_id = ?", area, unit) == 0
}

func (e *authEnv) taskFor(target *tenants.Unit) int64 {
	st := e.tree.state
	return e.choose(target, keysWhere(st.tasks, nil), func(id int64) int64 { return st.plans[st.tasks[id]].unit })
}

func (e *authEnv) noteFor(target *tenants.Unit) int64 {
	st := e.tree.state
	return e.choose(target, keysWhere(st.notes, nil), func(id int64) int64 { return st.plans[st.tasks[st.notes[id]]].unit })
}

// reportFor picks a report other than the fixture's accepted Year reports.
func (e *authEnv) reportFor(target *tenants.Unit) int64 {
	st := e.tree.state
	ids := keysWhere(st.reports, func(id int64, _ stateReport) bool { return !e.cw().yearReports[id] })
	return e.choose(target, ids, func(id int64) int64 { return st.reports[id].unit })
}

func (e *authEnv) ownedFor(target *tenants.Unit, m map[int64]int64) int64 {
	return e.choose(target, keysWhere(m, nil), func(id int64) int64 { return m[id] })
}

// ownerObject picks what evidence is uploaded for: a target area for a
// ward, the plan for a district, a task for a province (the phantom of the
// same kind names the same type); at random any of the four types.
func (e *authEnv) ownerObject(target *tenants.Unit) (ownerType, kind string, id int64) {
	types := map[string]string{tenants.KindWard: campaigns.OwnerTargetArea, tenants.KindDistrict: campaigns.OwnerPlan, tenants.KindProvince: campaigns.OwnerTask}
	ownerType = types[target.Kind]
	if e.rng != nil {
		ownerType = []string{campaigns.OwnerTargetArea, campaigns.OwnerPlan, campaigns.OwnerTask, campaigns.OwnerProgressNote}[e.rng.IntN(4)]
	}
	switch ownerType {
	case campaigns.OwnerTargetArea:
		return ownerType, "area", e.areaFor(target, nil)
	case campaigns.OwnerPlan:
		return ownerType, "plan", e.planFor(target)
	case campaigns.OwnerTask:
		return ownerType, "task", e.taskFor(target)
	}
	return ownerType, "note", e.noteFor(target)
}

// planOf returns the plan an object of kind belongs to (0 for none).
func (e *authEnv) planOf(kind string, id int64) int64 {
	st := e.tree.state
	switch kind {
	case "plan":
		return id
	case "task":
		return st.tasks[id]
	case "note":
		return st.tasks[st.notes[id]]
	}
	return 0
}

func (e *authEnv) isAuthor(a *actor, plan int64) bool {
	p, ok := e.tree.state.plans[plan]
	return ok && a.unit != nil && p.unit == a.unit.ID
}

func (e *authEnv) isReviewer(a *actor, plan int64) bool {
	p, ok := e.tree.state.plans[plan]
	return ok && e.isParent(a, p.unit)
}

// isParent reports whether a's unit lies directly above the unit: the
// district of a ward under a district, the province of a ward directly
// under it (two-tier). That unit proposes the ward and its exit, and
// reviews and assesses its reports (and reviews its plan).
func (e *authEnv) isParent(a *actor, unitID int64) bool {
	return a.unit != nil && e.parentID(unitID) == a.unit.ID
}

// okIf is ok when cond holds, otherwise else.
func okIf(cond bool, ok, otherwise int) int {
	if cond {
		return ok
	}
	return otherwise
}

// prepare puts an object the caller may act on in the state its case
// needs: q runs only when a has the permission and sees the object.
func (e *authEnv) prepare(t testing.TB, a *actor, permission, kind string, id int64, q string, args ...any) {
	if id != phantomID && e.can(a, permission) && e.sees(a, kind, id) {
		e.set(t, q, args...)
	}
}

func audited(action string, id int64) func(response) []auditWant {
	return func(response) []auditWant { return []auditWant{{action, itoa(id)}} }
}

func auditedCreated(action string) func(response) []auditWant {
	return func(res response) []auditWant { return []auditWant{{action, createdID(res)}} }
}

func auditedItems(action string) func(response) []auditWant {
	return func(res response) []auditWant {
		var l struct{ Items []struct{ ID int64 } }
		json.Unmarshal(res.Body, &l)
		var out []auditWant
		for _, it := range l.Items {
			out = append(out, auditWant{action, itoa(it.ID)})
		}
		return out
	}
}

// reportToDraft reopens a report as its return does: the working copy
// becomes the revision after the last submitted one.
const reportToDraft = "UPDATE reports SET status = 'draft', revision = submitted_revision + 1 WHERE id = ? AND status NOT IN ('draft', 'returned')"

func (e *authEnv) nextYear() int {
	e.cw().years++
	return 2026 + e.cw().years%70
}

// reporting reports whether a target area in status owes reports.
func reporting(status string) bool {
	return status != "" && status != domain.TargetProposed && status != domain.TargetRejected
}

// fieldsNamed checks that a 403 about report figures names exactly want.
func fieldsNamed(t testing.TB, res response, want ...string) {
	t.Helper()
	var body apiError
	json.Unmarshal(res.Body, &body)
	got := sortedFieldKeys(body.Error.Fields)
	slices.Sort(want)
	if body.Error.Code != "forbidden" || !slices.Equal(got, want) {
		t.Errorf("403 names fields %v (code %q), want %v: %s", got, body.Error.Code, want, res.Body)
	}
}

// refusedFigures returns the indicator codes none of roles may enter.
func refusedFigures(roles []string, codes []string) []string {
	var out []string
	for _, c := range codes {
		ind, ok := domain.FindIndicator(domain.DefaultIndicators(), c)
		if ok && !slices.ContainsFunc(roles, ind.EnterableBy) {
			out = append(out, c)
		}
	}
	return out
}

var campaignRouteCases = map[string]routeCase{
	// Campaigns: one per province and year, seen by the whole province.
	"POST /api/v1/campaigns": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		year := e.nextYear()
		c := authCase{Body: jsonBody(campaignBody(year)), OK: 201, Other: 201, InScope: true, Untargeted: true, Audit: auditedCreated("campaign.create")}
		if e.queryInt(t, "SELECT COUNT(*) FROM campaigns WHERE province_id = ? AND year = ?", unitOf(a), year) > 0 {
			c.OK = http.StatusConflict
		}
		return c
	},
	"GET /api/v1/campaigns": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		return authCase{Path: "/api/v1/campaigns?year=2024", OK: 200, Other: 200, InScope: true, Untargeted: true}
	},
	"GET /api/v1/campaigns/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.campaignFor(target, nil)
		return authCase{Path: "/api/v1/campaigns/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "campaign", id)}
	},
	"PATCH /api/v1/campaigns/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.campaignFor(target, nil)
		v := e.queryInt(t, "SELECT version FROM campaigns WHERE id = ?", id)
		return authCase{Path: "/api/v1/campaigns/" + itoa(id), Body: jsonBody(map[string]any{"version": v, "title": "Chuyển hóa địa bàn trọng điểm " + e.nextCode()}),
			OK: 200, Other: 404, InScope: e.sees(a, "campaign", id), Audit: audited("campaign.update", id)}
	},
	"GET /api/v1/campaigns/:id/target-areas": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.campaignFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/target-areas", id), OK: 200, Other: 404, InScope: e.sees(a, "campaign", id)}
	},
	"GET /api/v1/campaigns/:id/calendar": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.campaignFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/calendar", id), OK: 200, Other: 404, InScope: e.sees(a, "campaign", id)}
	},
	"PUT /api/v1/campaigns/:id/calendar": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		locked := func(id int64) bool {
			return e.queryInt(t, "SELECT COUNT(*) FROM report_revisions WHERE report_id IN (SELECT id FROM reports WHERE campaign_id = ?)", id) > 0
		}
		// In the matrix a campaign no report has been submitted for yet.
		id := e.campaignFor(target, func(id int64) bool { return e.rng != nil || !locked(id) })
		year := int(e.queryInt(t, "SELECT year FROM campaigns WHERE id = ?", id))
		if year == 0 {
			year = 2024 // the phantom's
		}
		return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/calendar", id),
			Body: jsonBody(map[string]any{"periods": domain.DefaultCalendar(year), "monthly_report_due_day": 5, "exit_period": domain.PeriodYear}),
			OK:   okIf(locked(id), http.StatusConflict, 200), Other: 404, InScope: e.sees(a, "campaign", id), Audit: audited("campaign.calendar", id)}
	},
	"GET /api/v1/campaigns/:id/indicators": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.campaignFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/indicators", id), OK: 200, Other: 404, InScope: e.sees(a, "campaign", id)}
	},
	"POST /api/v1/campaigns/:id/indicators": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.campaignFor(target, func(id int64) bool {
			return e.rng != nil || e.queryInt(t, "SELECT year FROM campaigns WHERE id = ?", id) != 2024
		})
		ind := domain.Indicator{Code: "ct_" + strings.ToLower(e.nextCode()), Label: "Số cuộc vận động quần chúng", Unit: "cuộc", Type: domain.IndicatorCount, EnteredBy: []string{"ward", "police"}}
		return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/indicators", id), Body: jsonBody(ind), OK: 201, Other: 404,
			InScope: e.sees(a, "campaign", id), Audit: audited("campaign.indicator_add", id)}
	},
	"PATCH /api/v1/campaigns/:id/indicators/:code": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.campaignFor(target, func(id int64) bool {
			return e.rng != nil || e.queryInt(t, "SELECT year FROM campaigns WHERE id = ?", id) != 2024
		})
		return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/indicators/patrols", id), Body: jsonBody(map[string]any{"label": "Số lượt tuần tra, kiểm soát " + e.nextCode()}),
			OK: 200, Other: 404, InScope: e.sees(a, "campaign", id), Audit: audited("campaign.indicator_update", id)}
	},

	// Target areas: the unit directly above a ward proposes it (its
	// district, or the province for a ward directly under it), the
	// province decides.
	"POST /api/v1/target-areas": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// Into a campaign of the caller's province; the ward is new (a unit
		// is proposed once per campaign), under the target (or beside it).
		// A ward the caller sees but is not directly above is refused (403)
		// before anything else about it.
		camp := e.ownCampaign(a)
		ward := int64(phantomID)
		ok := 201
		switch {
		case target.ID == phantomID:
		case !e.can(a, "target:propose"):
			ward = target.ID
		case e.rng != nil && e.rng.IntN(3) == 0:
			ward = e.randomUnit(tenants.KindWard).ID // an existing ward: maybe already proposed
			if e.queryInt(t, "SELECT COUNT(*) FROM target_areas WHERE campaign_id = ? AND unit_id = ?", camp, ward) > 0 {
				ok = http.StatusConflict
			}
		default:
			parent := target
			if target.Kind == tenants.KindWard {
				parent = e.unit(e.parentID(target.ID))
			}
			ward = e.s.mustChild(t, parent, tenants.KindWard, e.nextCode()).ID
			e.resync(t)
		}
		if ward != phantomID && e.can(a, "target:propose") && e.tree.covers(e.viewer(a), ward) && !e.isParent(a, ward) {
			ok = http.StatusForbidden
		}
		return authCase{Body: jsonBody(map[string]any{"campaign_id": camp, "unit_ids": []int64{ward}, "reason": "Phức tạp về ma túy, trộm cắp"}),
			OK: ok, Other: 400, InScope: e.tree.covers(e.viewer(a), ward), Audit: auditedItems("target_area.propose")}
	},
	"GET /api/v1/target-areas": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas?unit_id=%d&limit=1000", target.ID), OK: 200, Other: 200, InScope: e.covers(a, target)}
	},
	"GET /api/v1/target-areas/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, nil)
		return authCase{Path: "/api/v1/target-areas/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"GET /api/v1/target-areas/:id/history": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/history", id), OK: 200, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"POST /api/v1/target-areas/approve": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, ptr(false))
		e.prepare(t, a, "target:approve", "area", id, "UPDATE target_areas SET status = 'proposed' WHERE id = ? AND status <> 'proposed'", id)
		return authCase{Body: jsonBody(map[string]any{"ids": []int64{id}, "decision": decision}), OK: 200, Other: 400,
			InScope: e.sees(a, "area", id), Audit: audited("target_area.approve", id)}
	},
	"POST /api/v1/target-areas/:id/approve": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, ptr(false))
		e.prepare(t, a, "target:approve", "area", id, "UPDATE target_areas SET status = 'proposed' WHERE id = ? AND status <> 'proposed'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/approve", id), Body: jsonBody(map[string]any{"decision": decision}),
			OK: 200, Other: 404, InScope: e.sees(a, "area", id), Audit: audited("target_area.approve", id)}
	},
	"POST /api/v1/target-areas/:id/reject": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, ptr(false))
		e.prepare(t, a, "target:approve", "area", id, "UPDATE target_areas SET status = 'proposed' WHERE id = ? AND status <> 'proposed'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/reject", id), Body: jsonBody(map[string]any{"comment": "Chưa đủ căn cứ"}),
			OK: 200, Other: 404, InScope: e.sees(a, "area", id), Audit: audited("target_area.reject", id)}
	},
	"POST /api/v1/target-areas/:id/start": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, ptr(false))
		e.prepare(t, a, "target:start", "area", id, "UPDATE target_areas SET status = 'approved' WHERE id = ? AND status <> 'approved'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/start", id), Body: "{}",
			OK: 200, Other: 404, InScope: e.sees(a, "area", id), Audit: audited("target_area.start", id)}
	},
	"GET /api/v1/units/:id/target-history": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 404, InScope: e.covers(a, target)}
	},

	// Plans: the author unit writes and submits, the unit above reviews; a
	// plan is read in its author's subtree and in its target area's.
	"GET /api/v1/plan-sections": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 200, InScope: true, Untargeted: true}
	},
	"POST /api/v1/plans": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// In the matrix an area the caller has no plan for yet, when there is one.
		area := e.areaWhere(target, func(id int64) bool { return e.sees(a, "area", id) && e.plannable(t, id, unitOf(a)) })
		return authCase{Body: jsonBody(planBody(area, "Kế hoạch "+e.nextCode())), OK: okIf(e.plannable(t, area, unitOf(a)), 201, http.StatusConflict), Other: 400,
			InScope: e.sees(a, "area", area), Audit: auditedCreated("plan.create")}
	},
	"GET /api/v1/plans": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		area := e.areaFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/plans?target_area_id=%d&limit=1000", area), OK: 200, Other: 200, InScope: e.sees(a, "area", area)}
	},
	"GET /api/v1/plans/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.planFor(target)
		return authCase{Path: "/api/v1/plans/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "plan", id)}
	},
	"GET /api/v1/plans/:id/history": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.planFor(target)
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/history", id), OK: 200, Other: 404, InScope: e.sees(a, "plan", id)}
	},
	"PATCH /api/v1/plans/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.editablePlan(t, a, target, "plan:write")
		return authCase{Path: "/api/v1/plans/" + itoa(id), Body: jsonBody(map[string]any{"version": e.planVersion(t, id), "title": "Kế hoạch " + e.nextCode()}),
			OK: okIf(e.isAuthor(a, id), 200, 403), Other: 404, InScope: e.sees(a, "plan", id), Audit: audited("plan.update", id)}
	},
	"PUT /api/v1/plans/:id/objectives": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.editablePlan(t, a, target, "plan:write")
		body := map[string]any{"version": e.planVersion(t, id), "items": []any{map[string]any{"kind": "yeu_cau", "text": "Phát huy sức mạnh tổng hợp " + e.nextCode()}}}
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/objectives", id), Body: jsonBody(body),
			OK: okIf(e.isAuthor(a, id), 200, 403), Other: 404, InScope: e.sees(a, "plan", id), Audit: audited("plan.objectives", id)}
	},
	"PUT /api/v1/plans/:id/budget": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.editablePlan(t, a, target, "budget:write")
		body := map[string]any{"version": e.planVersion(t, id), "items": []any{map[string]any{"item": "Hỗ trợ tổ tự quản", "amount": 3000000 + e.seq, "funding_source": "Xã hội hóa"}}}
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/budget", id), Body: jsonBody(body),
			OK: okIf(e.isAuthor(a, id), 200, 403), Other: 404, InScope: e.sees(a, "plan", id), Audit: audited("plan.budget", id)}
	},
	"POST /api/v1/plans/:id/tasks": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.editablePlan(t, a, target, "plan:write")
		body := map[string]any{"version": e.planVersion(t, id), "section": "2.3", "title": "Tấn công trấn áp tội phạm " + e.nextCode()}
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/tasks", id), Body: jsonBody(body),
			OK: okIf(e.isAuthor(a, id), 201, 403), Other: 404, InScope: e.sees(a, "plan", id), Audit: auditedCreated("task.create")}
	},
	"GET /api/v1/tasks/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.taskFor(target)
		return authCase{Path: "/api/v1/tasks/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "task", id)}
	},
	"PATCH /api/v1/tasks/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.taskFor(target)
		plan := e.tree.state.tasks[id]
		// Progress may change in any plan status but "submitted".
		e.prepare(t, a, "plan:write", "task", id, "UPDATE plans SET status = 'draft' WHERE id = ? AND status = 'submitted'", plan)
		status := "in_progress"
		if e.queryString(t, "SELECT status FROM plan_tasks WHERE id = ?", id) == status {
			status = "done"
		}
		return authCase{Path: "/api/v1/tasks/" + itoa(id), Body: jsonBody(map[string]any{"version": e.queryInt(t, "SELECT version FROM plan_tasks WHERE id = ?", id), "status": status}),
			OK: okIf(e.isAuthor(a, plan), 200, 403), Other: 404, InScope: e.sees(a, "task", id), Audit: audited("task.update", id)}
	},
	"DELETE /api/v1/tasks/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// A new task of a plan the caller sees, put back in draft (a task
		// without notes or evidence); any task otherwise.
		id := e.taskFor(target)
		if plan := e.editablePlan(t, a, target, "plan:write"); plan != phantomID && e.can(a, "plan:write") && e.sees(a, "plan", plan) {
			version := int(e.planVersion(t, plan))
			tk, err := campaigns.AddTask(e.s.Root, e.s.DB, plan, &version, campaigns.TaskInput{Section: "org", Title: "Nhiệm vụ tạm " + e.nextCode()},
				campaigns.Actor{UnitID: e.tree.state.plans[plan].unit}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			id = tk.ID
			e.resync(t)
		}
		plan := e.tree.state.tasks[id]
		e.prepare(t, a, "plan:write", "plan", plan, "UPDATE plans SET status = 'draft' WHERE id = ? AND status NOT IN ('draft', 'returned')", plan)
		ok := okIf(e.isAuthor(a, plan), 200, 403)
		if ok == 200 && e.queryInt(t, "SELECT COUNT(*) FROM task_progress_notes WHERE task_id = ?", id)+
			e.queryInt(t, "SELECT COUNT(*) FROM attachments WHERE owner_type = 'task' AND owner_id = ?", id) > 0 {
			ok = http.StatusConflict // progress or evidence recorded
		}
		return authCase{Path: fmt.Sprintf("/api/v1/tasks/%d?version=%d", id, e.queryInt(t, "SELECT version FROM plan_tasks WHERE id = ?", id)),
			OK: ok, Other: 404, InScope: e.sees(a, "task", id), Audit: audited("task.delete", id)}
	},
	"POST /api/v1/tasks/:id/notes": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.taskFor(target)
		return authCase{Path: fmt.Sprintf("/api/v1/tasks/%d/notes", id), Body: jsonBody(map[string]any{"text": "Đã tổ chức tuần tra " + e.nextCode()}),
			OK: okIf(e.isAuthor(a, e.tree.state.tasks[id]), 201, 403), Other: 404, InScope: e.sees(a, "task", id), Audit: auditedCreated("task.progress")}
	},
	"POST /api/v1/plans/:id/submit": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.editablePlan(t, a, target, "plan:submit")
		ok := okIf(e.isAuthor(a, id), 200, 403)
		if ok == 200 && e.queryInt(t, "SELECT COUNT(*) FROM plan_tasks WHERE plan_id = ?", id) == 0 {
			ok = http.StatusConflict
		}
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/submit", id), Body: "{}", OK: ok, Other: 404, InScope: e.sees(a, "plan", id), Audit: audited("plan.submit", id)}
	},
	"POST /api/v1/plans/:id/return": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.planFor(target)
		e.prepare(t, a, "plan:review", "plan", id, "UPDATE plans SET status = 'submitted' WHERE id = ? AND status <> 'submitted'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/return", id), Body: jsonBody(map[string]any{"comment": "Bổ sung nhiệm vụ phòng ngừa"}),
			OK: okIf(e.isReviewer(a, id), 200, 403), Other: 404, InScope: e.sees(a, "plan", id), Audit: audited("plan.return", id)}
	},
	"POST /api/v1/plans/:id/approve": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.planFor(target)
		e.prepare(t, a, "plan:review", "plan", id, "UPDATE plans SET status = 'submitted' WHERE id = ? AND status <> 'submitted'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/approve", id), Body: "{}",
			OK: okIf(e.isReviewer(a, id), 200, 403), Other: 404, InScope: e.sees(a, "plan", id), Audit: audited("plan.approve", id)}
	},
	"POST /api/v1/plans/:id/copy": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// In the matrix a plan the caller could copy, when there is one.
		id := e.planWhere(target, func(id int64) bool {
			p := e.tree.state.plans[id]
			return e.sees(a, "plan", id) && !e.isAuthor(a, id) && e.sees(a, "area", p.area) && e.plannable(t, p.area, unitOf(a))
		})
		p := e.tree.state.plans[id]
		ok := 201
		switch {
		case e.isAuthor(a, id):
			ok = http.StatusConflict // its own plan
		case !e.sees(a, "area", p.area):
			ok = http.StatusForbidden // a plan about an area it does not plan for
		case !e.plannable(t, p.area, unitOf(a)):
			ok = http.StatusConflict
		}
		return authCase{Path: fmt.Sprintf("/api/v1/plans/%d/copy", id), Body: "{}", OK: ok, Other: 404, InScope: e.sees(a, "plan", id), Audit: auditedCreated("plan.copy")}
	},

	// Committees and models of a unit.
	"GET /api/v1/units/:id/committee": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 404, InScope: e.covers(a, target)}
	},
	"POST /api/v1/units/:id/committee": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		body := map[string]any{"full_name": "Ủy viên " + e.nextCode(), "position": "member", "agency": "Công an", "phone": "0912 345 678"}
		ok := 201
		if e.rng != nil && e.rng.IntN(3) == 0 {
			// An assignment to an area of any scope: it must be one the caller
			// sees, inside the unit's subtree.
			area := e.areaFor(e.randomUnit(), nil)
			body["target_area_ids"] = []int64{area}
			if u := e.tree.state.units[e.tree.state.areas[area].unit]; !e.sees(a, "area", area) || u == nil || !strings.HasPrefix(u.Path, target.Path) {
				ok = 400
			}
		}
		return authCase{Body: jsonBody(body), OK: ok, Other: 404, InScope: e.covers(a, target), Audit: auditedCreated("committee.create")}
	},
	"GET /api/v1/committee-members/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.ownedFor(target, e.tree.state.members)
		return authCase{Path: "/api/v1/committee-members/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "member", id)}
	},
	"PUT /api/v1/committee-members/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.ownedFor(target, e.tree.state.members)
		var areas []int64
		rows, err := e.s.DB.QueryContext(context.Background(), "SELECT target_area_id FROM committee_assignments WHERE member_id = ? ORDER BY target_area_id", id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n int64
			rows.Scan(&n)
			areas = append(areas, n)
		}
		rows.Close()
		position := e.queryString(t, "SELECT position FROM committee_members WHERE id = ?", id)
		body := map[string]any{"full_name": "Thành viên " + e.nextCode(), "position": position, "job_title": "Phó Chủ tịch UBND",
			"target_area_ids": areas, "version": e.queryInt(t, "SELECT version FROM committee_members WHERE id = ?", id)}
		return authCase{Path: "/api/v1/committee-members/" + itoa(id), Body: jsonBody(body), OK: 200, Other: 404, InScope: e.sees(a, "member", id), Audit: audited("committee.update", id)}
	},
	"DELETE /api/v1/committee-members/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.ownedFor(target, e.tree.state.members)
		if target.ID != phantomID && e.can(a, "committee:write") {
			m, err := campaigns.CreateCommitteeMember(e.s.Root, e.s.DB, target.ID, campaigns.CommitteeInput{FullName: "Ủy viên tạm " + e.nextCode(), Position: "member"}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			id = m.ID
			e.resync(t)
		}
		return authCase{Path: "/api/v1/committee-members/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "member", id), Audit: audited("committee.delete", id)}
	},
	"GET /api/v1/model-types": func(t testing.TB, e *authEnv, a *actor, _ *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 200, InScope: true, Untargeted: true}
	},
	"GET /api/v1/units/:id/models": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		return authCase{OK: 200, Other: 404, InScope: e.covers(a, target)}
	},
	"POST /api/v1/units/:id/models": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		body := map[string]any{"name": "Tổ tự quản " + e.nextCode(), "type": "tu_quan_antt", "established_on": "2023-06-01", "members_count": 9, "effective": true}
		return authCase{Body: jsonBody(body), OK: 201, Other: 404, InScope: e.covers(a, target), Audit: auditedCreated("model.create")}
	},
	"PUT /api/v1/models/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.ownedFor(target, e.tree.state.models)
		body := map[string]any{"name": "Tổ liên gia camera " + e.nextCode(), "type": "camera_an_ninh", "members_count": 15, "effective": true,
			"version": e.queryInt(t, "SELECT version FROM models WHERE id = ?", id)}
		return authCase{Path: "/api/v1/models/" + itoa(id), Body: jsonBody(body), OK: 200, Other: 404, InScope: e.sees(a, "model", id), Audit: audited("model.update", id)}
	},
	"DELETE /api/v1/models/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.ownedFor(target, e.tree.state.models)
		if target.ID != phantomID && e.can(a, "model:write") {
			_, m, err := campaigns.SaveModel(e.s.Root, e.s.DB, target.ID, 0, campaigns.ModelInput{Name: "Mô hình tạm " + e.nextCode(), Type: "khac"}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			id = m.ID
			e.resync(t)
		}
		return authCase{Path: "/api/v1/models/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "model", id), Audit: audited("model.delete", id)}
	},

	// Evidence: uploaded by the author of a plan, task or note with the
	// right to write the plan (not its police, who read plans only), or by
	// any unit whose scope covers a target area; read where the scope
	// covers the owning unit.
	"POST /api/v1/attachments": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		ownerType, kind, id := e.ownerObject(target)
		ok := 201
		if plan := e.planOf(kind, id); plan != 0 && (!e.isAuthor(a, plan) || !e.can(a, "plan:write")) {
			ok = http.StatusForbidden
		}
		ct, body := multipartFile(ownerType, id, "minh-chung-"+e.nextCode()+".pdf", pdf)
		return authCase{ContentType: ct, Body: body, OK: ok, Other: 404, InScope: e.sees(a, kind, id), Audit: auditedCreated("attachment.create")}
	},
	"GET /api/v1/attachments": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		ownerType, kind, id := e.ownerObject(target)
		return authCase{Path: fmt.Sprintf("/api/v1/attachments?owner_type=%s&owner_id=%d", ownerType, id), OK: 200, Other: 200, InScope: e.sees(a, kind, id)}
	},
	"GET /api/v1/attachments/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.ownedFor(target, e.tree.state.attachments)
		return authCase{Path: "/api/v1/attachments/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "attachment", id)}
	},
	"GET /api/v1/attachments/:id/content": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.ownedFor(target, e.tree.state.attachments)
		return authCase{Path: fmt.Sprintf("/api/v1/attachments/%d/content", id), OK: 200, Other: 404, InScope: e.sees(a, "attachment", id),
			After: func(t testing.TB, res response) {
				if res.Status == 200 && !bytes.Equal(res.Body, pdf) {
					t.Errorf("attachment %d content = %.40q", id, res.Body)
				}
			}}
	},

	// Reports: entered by the ward and the police (crime figures by the
	// police only), reviewed and assessed by the unit directly above the
	// ward (its district, or the province for a ward directly under it).
	"GET /api/v1/target-areas/:id/reports": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/reports", id), OK: 200, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"GET /api/v1/target-areas/:id/reports/:period": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, nil)
		return authCase{Path: reportPath(id, e.period()), OK: 200, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"PATCH /api/v1/target-areas/:id/reports/:period": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// Crime figures with a counter: the police may, a ward may not (403
		// naming the police's figures, nothing saved).
		area, period := e.areaFor(target, nil), e.period()
		n := 2 + e.seq%5
		values := map[string]any{"patrols": n, "tips_received": n, "tips_processed": n}
		refused := refusedFigures(a.user.Roles, []string{"patrols", "tips_received", "tips_processed"})
		return e.saveCase(t, a, area, period, reportPath(area, period), values, refused)
	},
	"GET /api/v1/reports/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		return authCase{Path: "/api/v1/reports/" + itoa(id), OK: 200, Other: 404, InScope: e.sees(a, "report", id)}
	},
	"PATCH /api/v1/reports/:id": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		r := e.tree.state.reports[id]
		c := e.saveCase(t, a, r.area, e.queryString(t, "SELECT period FROM reports WHERE id = ?", id), "/api/v1/reports/"+itoa(id),
			map[string]any{"patrols": 1 + e.seq%7}, nil)
		c.InScope = e.sees(a, "report", id)
		return c
	},
	"POST /api/v1/reports/:id/submit": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		e.prepare(t, a, "report:submit", "report", id, reportToDraft, id)
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/submit", id), Body: "{}", OK: 200, Other: 404, InScope: e.sees(a, "report", id), Audit: audited("report.submit", id)}
	},
	"POST /api/v1/reports/:id/return": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		e.prepare(t, a, "report:review", "report", id, "UPDATE reports SET status = 'submitted' WHERE id = ? AND status <> 'submitted'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/return", id), Body: jsonBody(map[string]any{"reason": "Số liệu tuần tra chưa khớp", "fields": map[string]string{"patrols": "Kiểm tra lại"}}),
			OK: okIf(e.isParent(a, e.tree.state.reports[id].unit), 200, 403), Other: 404, InScope: e.sees(a, "report", id), Audit: audited("report.return", id)}
	},
	"POST /api/v1/reports/:id/accept": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		e.prepare(t, a, "report:review", "report", id, "UPDATE reports SET status = 'submitted' WHERE id = ? AND status <> 'submitted'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/accept", id), Body: "{}", OK: okIf(e.isParent(a, e.tree.state.reports[id].unit), 200, 403), Other: 404, InScope: e.sees(a, "report", id), Audit: audited("report.accept", id)}
	},
	"POST /api/v1/reports/:id/assessment": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		e.prepare(t, a, "report:assess", "report", id, "UPDATE reports SET status = 'submitted' WHERE id = ? AND status NOT IN ('submitted', 'accepted')", id)
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/assessment", id), Body: jsonBody(map[string]any{"met": true, "note": "Kiện toàn " + e.nextCode()}),
			OK: okIf(e.isParent(a, e.tree.state.reports[id].unit), 200, 403), Other: 404, InScope: e.sees(a, "report", id), Audit: audited("report.assess", id)}
	},
	"GET /api/v1/reports/:id/revisions": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/revisions", id), OK: 200, Other: 404, InScope: e.sees(a, "report", id)}
	},
	"GET /api/v1/reports/:id/diff": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		ok := okIf(e.queryInt(t, "SELECT COUNT(*) FROM report_revisions WHERE report_id = ? AND revision = 1", id) > 0, 200, 404)
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/diff?from=1&to=0", id), OK: ok, Other: 404, InScope: e.sees(a, "report", id)}
	},
	"GET /api/v1/reports/:id/events": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.reportFor(target)
		return authCase{Path: fmt.Sprintf("/api/v1/reports/%d/events", id), OK: 200, Other: 404, InScope: e.sees(a, "report", id)}
	},
	"GET /api/v1/target-areas/:id/evaluations": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/evaluations", id), OK: 200, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"GET /api/v1/target-areas/:id/evaluations/:period": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// Before any value is saved the answer is the evaluation with every
		// criterion missing, not a 404 (issue 16, item 19).
		id, period := e.areaFor(target, nil), e.period()
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/evaluations/%s", id, period), OK: 200, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"GET /api/v1/target-areas/:id/baseline": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, nil)
		ok := okIf(e.queryInt(t, "SELECT COUNT(*) FROM baselines WHERE target_area_id = ?", id) > 0, 200, 404)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/baseline", id), OK: ok, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"PUT /api/v1/target-areas/:id/baseline": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// The police above the area (the district's) enter it.
		id := e.areaFor(target, nil)
		body := map[string]any{"incidents": 50, "period_from": "2022-12-15", "period_to": "2023-12-12", "note": "Số liệu " + e.nextCode(),
			"version": e.queryInt(t, "SELECT version FROM baselines WHERE target_area_id = ?", id)}
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/baseline", id), Body: jsonBody(body),
			OK: okIf(e.above(a, e.tree.state.areas[id].unit), 200, 403), Other: 404, InScope: e.sees(a, "area", id), Audit: audited("baseline.put", id)}
	},
	"GET /api/v1/target-areas/:id/exits": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, nil)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/exits", id), OK: 200, Other: 404, InScope: e.sees(a, "area", id)}
	},
	"POST /api/v1/target-areas/:id/exit-proposal": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		// A fixture area, back in progress: its accepted Year report meets
		// every criterion. The unit directly above its ward proposes.
		id := e.areaFor(target, ptr(true))
		e.prepare(t, a, "target:exit_propose", "area", id, "UPDATE target_areas SET status = 'in_progress' WHERE id = ? AND status <> 'in_progress'", id)
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", id), Body: jsonBody(map[string]any{"evidence": "Biên bản kiểm tra " + e.nextCode()}),
			OK: okIf(e.isParent(a, e.tree.state.areas[id].unit), 201, 403), Other: 404, InScope: e.sees(a, "area", id), Audit: audited("target.exit_propose", id)}
	},
	"POST /api/v1/target-areas/:id/exit-decision": func(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
		id := e.areaFor(target, ptr(true))
		if id != phantomID && e.can(a, "target:exit_decide") && e.sees(a, "area", id) {
			e.pendingExit(t, id)
		}
		body := map[string]any{"outcome": "exited", "decision": map[string]any{"number": "512/QĐ-BCĐ", "date": "2024-12-20"}}
		return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/exit-decision", id), Body: jsonBody(body),
			OK: 200, Other: 404, InScope: e.sees(a, "area", id), Audit: audited("target.decide_exit", id)}
	},
}

func ptr[T any](v T) *T { return &v }

// period is the report period of a case: Q1 in the matrix, at random one
// of the three the report routes change (the Year report stays accepted).
func (e *authEnv) period() string {
	if e.rng == nil {
		return domain.PeriodQ1
	}
	return []string{domain.PeriodQ1, domain.PeriodH1, domain.PeriodQ3}[e.rng.IntN(3)]
}

// editablePlan picks a plan and, when the caller may write it, puts it
// back in draft unless it is a draft or returned.
func (e *authEnv) editablePlan(t testing.TB, a *actor, target *tenants.Unit, permission string) int64 {
	id := e.planFor(target)
	e.prepare(t, a, permission, "plan", id, "UPDATE plans SET status = 'draft' WHERE id = ? AND status NOT IN ('draft', 'returned')", id)
	return id
}

func (e *authEnv) planVersion(t testing.TB, id int64) int64 {
	return e.queryInt(t, "SELECT version FROM plans WHERE id = ?", id)
}

// saveCase is a save of report values for an area and period at path:
// 404 outside the scope; 409 while the area owes no reports; 403 naming
// the refused figures; otherwise 200 on the report put back in draft.
func (e *authEnv) saveCase(t testing.TB, a *actor, area int64, period, path string, values map[string]any, refused []string) authCase {
	report := e.queryInt(t, "SELECT id FROM reports WHERE target_area_id = ? AND period = ?", area, period)
	if report != 0 && !e.cw().yearReports[report] {
		e.prepare(t, a, "report:write", "area", area, reportToDraft, report)
	}
	ok := 200
	switch {
	case !reporting(e.queryString(t, "SELECT status FROM target_areas WHERE id = ?", area)):
		ok = http.StatusConflict
	case len(refused) > 0:
		ok = http.StatusForbidden
	case e.cw().yearReports[report]:
		ok = http.StatusConflict // accepted
	}
	version := e.queryInt(t, "SELECT version FROM reports WHERE id = ?", report)
	inScope := e.sees(a, "area", area)
	return authCase{Method: http.MethodPatch, Path: path, Body: jsonBody(map[string]any{"version": version, "values": values}), OK: ok, Other: 404, InScope: inScope,
		Audit: auditedCreated("report.save"),
		After: func(t testing.TB, res response) {
			if inScope && ok == http.StatusForbidden && e.can(a, "report:write") {
				fieldsNamed(t, res, refused...)
			}
		}}
}

// pendingExit puts a fixture area in exit_proposed with a pending proposal.
func (e *authEnv) pendingExit(t testing.TB, area int64) {
	t.Helper()
	e.set(t, "UPDATE target_areas SET status = 'exit_proposed' WHERE id = ? AND status <> 'exit_proposed'", area)
	last := e.queryInt(t, "SELECT COALESCE(MAX(id), 0) FROM target_area_exits WHERE target_area_id = ?", area)
	switch {
	case last == 0:
		report := e.queryInt(t, "SELECT COALESCE(MIN(id), 0) FROM reports WHERE target_area_id = ?", area)
		e.set(t, "INSERT INTO target_area_exits (target_area_id, report_id, period, evidence, snapshot, proposed_at, outcome, reason) VALUES (?, ?, 'NAM', 'Minh chứng', '{}', ?, '', '')",
			area, report, time.Now().UTC())
	default:
		e.set(t, "UPDATE target_area_exits SET outcome = '', reason = '', decision = NULL, decided_by = NULL, decided_at = NULL WHERE id = ? AND outcome <> ''", last)
	}
}

// campaignKeyCells are the cells issues 4 and 5 name, each on its own:
// function-level refusals of report figures (the police's crime figures
// refused to a ward with 403 naming them, the ward's figures refused to
// the police, the assessment to both), the district-only assessment, the
// province-only exit decision, and a ward reaching nothing of its sibling's
// plans, reports and evidence (each answer the same as for an absent object).
func (e *authEnv) campaignKeyCells(t *testing.T, A matrixTenant, ward, ward0, police, dpolice, district, province *actor) {
	st := func() *dbState { return e.tree.state }
	mainArea := func(u *tenants.Unit) int64 { return mainAreaAny(t, e, u) }
	w1, w2 := mainArea(A.W1), mainArea(A.W2)
	q1 := e.queryInt(t, "SELECT id FROM reports WHERE target_area_id = ? AND period = 'Q1'", w1)
	send := func(name string, a *actor, method, path, ct, body string, want int, audit func(response) []auditWant) response {
		t.Helper()
		if ct == "" && body != "" {
			ct = "application/json"
		}
		c := authCase{Method: method, Path: path, ContentType: ct, Body: body, Permission: permissionOf(t, e.s, method, path), Audit: audit}
		return e.run(t, name, a, c, want)
	}
	// absent sends the same request about an absent object and compares.
	absent := func(name string, a *actor, res response, method, path, ct, body string) {
		t.Helper()
		if ct == "" && body != "" {
			ct = "application/json"
		}
		c := authCase{Method: method, Path: path, ContentType: ct, Body: body, Permission: permissionOf(t, e.s, method, path)}
		sameAsAbsent(t, name, res, e.run(t, name+" vs absent", a, c, res.Status))
	}
	save := func(name string, a *actor, values map[string]any, want int, refused ...string) {
		t.Helper()
		e.set(t, reportToDraft, q1)
		body := jsonBody(map[string]any{"version": e.queryInt(t, "SELECT version FROM reports WHERE id = ?", q1), "values": values})
		res := send(name, a, "PATCH", reportPath(w1, "Q1"), "", body, want, audited("report.save", q1))
		if want == http.StatusForbidden {
			fieldsNamed(t, res, refused...)
		}
	}

	t.Run("report figures by role", func(t *testing.T) {
		save("ward cannot enter crime figures", ward, map[string]any{"cases_initiated": 3, "cases_solved": 2}, 403, "cases_initiated", "cases_solved")
		save("ward cannot enter tips", ward, map[string]any{"tips_received": 9, "tips_processed": 9}, 403, "tips_received", "tips_processed")
		save("ward cannot enter recidivism", ward, map[string]any{"released_residing": 4, "reoffending": 1}, 403, "released_residing", "reoffending")
		save("a mixed save is refused whole", ward, map[string]any{"patrols": 4, "organised_crime": true}, 403, "organised_crime")
		save("police cannot enter the ward's figures", police, map[string]any{"models_active": 3, "community_rules": false}, 403, "models_active", "community_rules")
		save("nobody enters the assessment as a figure", police, map[string]any{"political_system": map[string]any{"met": true}}, 403, "political_system")
		save("the ward enters its counters", ward, map[string]any{"patrols": 5, "models_active": 3}, 200)
		save("the police enter crime figures", police, map[string]any{"cases_initiated": 3, "cases_solved": 3}, 200)
		e.set(t, reportToDraft, mainReport(t, e, w2))
		body := jsonBody(map[string]any{"version": 1, "values": map[string]any{"cases_initiated": 1}})
		res := send("police of another ward", police, "PATCH", reportPath(w2, "Q1"), "", body, 404, nil)
		absent("police of another ward", police, res, "PATCH", reportPath(phantomID, "Q1"), "", body)
		res = send("a ward enters another ward's counters", ward, "PATCH", reportPath(w2, "Q1"), "", jsonBody(map[string]any{"version": 1, "values": map[string]any{"patrols": 1}}), 404, nil)
		absent("a ward enters another ward's counters", ward, res, "PATCH", reportPath(phantomID, "Q1"), "", jsonBody(map[string]any{"version": 1, "values": map[string]any{"patrols": 1}}))
	})

	t.Run("assessment by the reviewing district only", func(t *testing.T) {
		// The province holds report:assess for the wards directly under it
		// (two-tier): not for a ward of its district.
		path := fmt.Sprintf("/api/v1/reports/%d/assessment", q1)
		body := jsonBody(map[string]any{"met": true, "note": "Vững mạnh"})
		e.set(t, "UPDATE reports SET status = 'submitted' WHERE id = ? AND status <> 'submitted'", q1)
		for _, a := range []*actor{ward, police, dpolice, province} {
			send(a.label+" cannot assess", a, "POST", path, "", body, 403, nil)
		}
		send("the district assesses", district, "POST", path, "", body, 200, audited("report.assess", q1))
	})

	t.Run("exit proposed by the district, decided by the province", func(t *testing.T) {
		propose := fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", w1)
		decide := fmt.Sprintf("/api/v1/target-areas/%d/exit-decision", w1)
		evidence := jsonBody(map[string]any{"evidence": "Biên bản kiểm tra, đánh giá"})
		exited := jsonBody(map[string]any{"outcome": "exited", "decision": map[string]any{"number": "512/QĐ-BCĐ", "date": "2024-12-20"}})
		e.set(t, "UPDATE target_areas SET status = 'in_progress' WHERE id = ? AND status <> 'in_progress'", w1)
		send("the province cannot propose the exit", province, "POST", propose, "", evidence, 403, nil)
		send("the ward cannot propose its exit", ward, "POST", propose, "", evidence, 403, nil)
		send("the district proposes the exit", district, "POST", propose, "", evidence, 201, audited("target.exit_propose", w1))
		send("the district cannot decide the exit", district, "POST", decide, "", exited, 403, nil)
		send("the police cannot decide the exit", dpolice, "POST", decide, "", exited, 403, nil)
		send("the province decides the exit", province, "POST", decide, "", exited, 200, audited("target.decide_exit", w1))
		res := send("the two-tier ward's exit is beyond the district", district, "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", mainAreaAny(t, e, A.W0)), "", evidence, 404, nil)
		absent("the two-tier ward's exit is beyond the district", district, res, "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", phantomID), "", evidence)
	})

	t.Run("the province does the district's duties for the two-tier ward", func(t *testing.T) {
		w0 := mainArea(A.W0)
		q0 := mainReport(t, e, w0)
		e.set(t, "UPDATE reports SET status = 'submitted' WHERE id = ? AND status <> 'submitted'", q0)
		assess := fmt.Sprintf("/api/v1/reports/%d/assessment", q0)
		body := jsonBody(map[string]any{"met": true, "note": "Vững mạnh"})
		res := send("the district cannot assess the two-tier ward", district, "POST", assess, "", body, 404, nil)
		absent("the district cannot assess the two-tier ward", district, res, "POST", fmt.Sprintf("/api/v1/reports/%d/assessment", phantomID), "", body)
		send("the province assesses the two-tier ward", province, "POST", assess, "", body, 200, audited("report.assess", q0))
		send("the province returns the two-tier ward's report", province, "POST", fmt.Sprintf("/api/v1/reports/%d/return", q0), "",
			jsonBody(map[string]any{"reason": "Bổ sung số liệu"}), 200, audited("report.return", q0))
		e.set(t, "UPDATE reports SET status = 'submitted' WHERE id = ? AND status <> 'submitted'", q1)
		send("the province cannot return the district's ward's report", province, "POST", fmt.Sprintf("/api/v1/reports/%d/return", q1), "",
			jsonBody(map[string]any{"reason": "Bổ sung số liệu"}), 403, nil)
		e.set(t, "UPDATE target_areas SET status = 'in_progress' WHERE id = ? AND status <> 'in_progress'", w0)
		evidence := jsonBody(map[string]any{"evidence": "Biên bản kiểm tra, đánh giá"})
		send("the two-tier ward cannot propose its exit", ward0, "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", w0), "", evidence, 403, nil)
		send("the province proposes the two-tier ward's exit", province, "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-proposal", w0), "", evidence, 201, audited("target.exit_propose", w0))
		send("the province decides it", province, "POST", fmt.Sprintf("/api/v1/target-areas/%d/exit-decision", w0), "",
			jsonBody(map[string]any{"outcome": "exited", "decision": map[string]any{"number": "513/QĐ-BCĐ", "date": "2024-12-20"}}), 200, audited("target.decide_exit", w0))
	})

	t.Run("a ward reaches nothing of its sibling's", func(t *testing.T) {
		plan := func(u *tenants.Unit) int64 {
			for id, p := range st().plans {
				if p.unit == u.ID && p.area == mainArea(u) {
					return id
				}
			}
			return 0
		}
		p2 := plan(A.W2)
		var task2, note2 int64
		for id, p := range st().tasks {
			if p == p2 && (task2 == 0 || id < task2) {
				task2 = id
			}
		}
		for id, tk := range st().notes {
			if st().tasks[tk] == p2 {
				note2 = id
			}
		}
		for _, o := range []struct {
			typ string
			id  int64
		}{{"target_area", w2}, {"plan", p2}, {"task", task2}, {"progress_note", note2}} {
			name := "upload evidence for the sibling's " + o.typ
			ct, body := multipartFile(o.typ, o.id, "x.pdf", pdf)
			res := send(name, ward, "POST", "/api/v1/attachments", ct, body, 404, nil)
			ct, body = multipartFile(o.typ, phantomID, "x.pdf", pdf)
			absent(name, ward, res, "POST", "/api/v1/attachments", ct, body)
			name = "list the evidence of the sibling's " + o.typ
			res = send(name, ward, "GET", fmt.Sprintf("/api/v1/attachments?owner_type=%s&owner_id=%d", o.typ, o.id), "", "", 200, nil)
			absent(name, ward, res, "GET", fmt.Sprintf("/api/v1/attachments?owner_type=%s&owner_id=%d", o.typ, phantomID), "", "")
		}
		for id, u := range st().attachments {
			if u != A.W2.ID {
				continue
			}
			for _, path := range []string{"/api/v1/attachments/%d", "/api/v1/attachments/%d/content"} {
				res := send("read the sibling's evidence", ward, "GET", fmt.Sprintf(path, id), "", "", 404, nil)
				absent("read the sibling's evidence", ward, res, "GET", fmt.Sprintf(path, phantomID), "", "")
			}
		}
		for _, path := range []string{"/api/v1/plans/%d", "/api/v1/plans/%d/history"} {
			res := send("read the sibling's plan", ward, "GET", fmt.Sprintf(path, p2), "", "", 404, nil)
			absent("read the sibling's plan", ward, res, "GET", fmt.Sprintf(path, phantomID), "", "")
		}
		res := send("copy the sibling's plan", ward, "POST", fmt.Sprintf("/api/v1/plans/%d/copy", p2), "", "{}", 404, nil)
		absent("copy the sibling's plan", ward, res, "POST", fmt.Sprintf("/api/v1/plans/%d/copy", phantomID), "", "{}")
		body := jsonBody(map[string]any{"version": 1, "title": "Sửa kế hoạch"})
		res = send("edit the sibling's plan", ward, "PATCH", fmt.Sprintf("/api/v1/plans/%d", p2), "", body, 404, nil)
		absent("edit the sibling's plan", ward, res, "PATCH", fmt.Sprintf("/api/v1/plans/%d", phantomID), "", body)
		r2 := mainReport(t, e, w2)
		res = send("read the sibling's report", ward, "GET", fmt.Sprintf("/api/v1/reports/%d", r2), "", "", 404, nil)
		absent("read the sibling's report", ward, res, "GET", fmt.Sprintf("/api/v1/reports/%d", phantomID), "", "")
		res = send("read the sibling's evaluation", ward, "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", w2), "", "", 404, nil)
		absent("read the sibling's evaluation", ward, res, "GET", fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", phantomID), "", "")
		// The district's plan about the ward's own area: read, not edited.
		var dp int64
		for id, p := range st().plans {
			if p.unit == A.D.ID && p.area == w1 {
				dp = id
			}
		}
		send("the ward reads its district's plan about it", ward, "GET", fmt.Sprintf("/api/v1/plans/%d", dp), "", "", 200, nil)
		e.set(t, "UPDATE plans SET status = 'draft' WHERE id = ? AND status <> 'draft'", dp)
		send("the ward cannot edit its district's plan", ward, "PATCH", fmt.Sprintf("/api/v1/plans/%d", dp), "", jsonBody(map[string]any{"version": e.planVersion(t, dp), "title": "Sửa"}), 403, nil)
		res = send("the two-tier ward cannot read the district's plan", ward0, "GET", fmt.Sprintf("/api/v1/plans/%d", dp), "", "", 404, nil)
		absent("the two-tier ward cannot read the district's plan", ward0, res, "GET", fmt.Sprintf("/api/v1/plans/%d", phantomID), "", "")
	})
}

// mainReport returns the Q1 report of a target area.
func mainReport(t testing.TB, e *authEnv, area int64) int64 {
	return e.queryInt(t, "SELECT id FROM reports WHERE target_area_id = ? AND period = 'Q1'", area)
}

// mainAreaAny returns the 2024 target area of a unit.
func mainAreaAny(t testing.TB, e *authEnv, u *tenants.Unit) int64 {
	return e.queryInt(t, "SELECT ta.id FROM target_areas AS ta JOIN campaigns AS c ON c.id = ta.campaign_id WHERE ta.unit_id = ? AND c.year = 2024", u.ID)
}
