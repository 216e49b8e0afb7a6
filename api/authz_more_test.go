package api_test

// The authorisation cases of the comparison and of the end of a campaign
// year (carry-over, relapse watch); they are listed at the end of
// routeCases (authz_test.go).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

// compareCase: the comparison of a campaign seen by the caller, at its
// own scope (province or district); 404 for a campaign of another province.
func compareCase(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
	id := e.campaignFor(target, nil)
	return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/compare?period=Q1", id), OK: 200, Other: 404, InScope: e.sees(a, "campaign", id)}
}

// relapseWatchCase: the province puts the areas exited in the previous
// year's campaign under watch in this one. In the matrix a campaign with a
// previous one; when the caller may act on it, a new ward exited last year
// is made first, so that the call has an area to create (and audit).
func relapseWatchCase(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
	id := e.campaignFor(target, func(id int64) bool { return e.rng != nil || e.previousCampaign(t, id) != 0 })
	prepared := false
	if id != phantomID && e.can(a, "target:approve") && e.sees(a, "campaign", id) {
		prepared = e.exitedLastYear(t, id)
	}
	return authCase{Path: fmt.Sprintf("/api/v1/campaigns/%d/relapse-watch", id), OK: 200, Other: 404, InScope: e.sees(a, "campaign", id),
		Audit: auditedItems("target_area.watch_relapse"),
		After: func(t testing.TB, res response) {
			if !prepared || res.Status != http.StatusOK {
				return
			}
			var l struct {
				Items []struct {
					Status        string `json:"status"`
					CarriedFromID *int64 `json:"carried_from_id"`
				}
			}
			json.Unmarshal(res.Body, &l)
			if len(l.Items) == 0 {
				t.Errorf("relapse watch of campaign %d created nothing for an area exited last year: %s", id, res.Body)
			}
			for _, it := range l.Items {
				if it.Status != domain.TargetRelapseWatch || it.CarriedFromID == nil {
					t.Errorf("relapse watch created status %q carried from %v", it.Status, it.CarriedFromID)
				}
			}
		}}
}

// carryOverCase: the province carries an area in progress (or not exited)
// into its province's campaign of the next year. In the matrix an area
// whose unit is not yet in that campaign; when the caller may act on it,
// an approved area is started first and the next year's campaign made when
// missing. Otherwise the documented 409 (wrong status, no next campaign,
// the unit already in it).
func carryOverCase(t testing.TB, e *authEnv, a *actor, target *tenants.Unit) authCase {
	id := e.areaWhere(target, func(id int64) bool { return e.carryable(t, id, true) })
	if id != phantomID && e.can(a, "target:approve") && e.sees(a, "area", id) {
		e.set(t, "UPDATE target_areas SET status = 'in_progress' WHERE id = ? AND status = 'approved'", id)
		e.ensureNextCampaign(t, id)
	}
	return authCase{Path: fmt.Sprintf("/api/v1/target-areas/%d/carry-over", id), Body: jsonBody(map[string]any{"comment": "Chưa đạt đủ tiêu chí " + e.nextCode()}),
		OK: okIf(e.carryable(t, id, false), http.StatusCreated, http.StatusConflict), Other: 404, InScope: e.sees(a, "area", id),
		Audit: func(res response) []auditWant {
			var out struct {
				Next struct{ ID int64 } `json:"next"`
			}
			json.Unmarshal(res.Body, &out)
			return []auditWant{{"target_area.carry_over", itoa(id)}, {"target_area.carry_in", itoa(out.Next.ID)}}
		}}
}

// previousCampaign returns the campaign of the year before campaign id's
// in the same province (0 for none).
func (e *authEnv) previousCampaign(t testing.TB, id int64) int64 {
	return e.queryInt(t, "SELECT p.id FROM campaigns AS p JOIN campaigns AS c ON c.province_id = p.province_id AND p.year = c.year - 1 WHERE c.id = ?", id)
}

// exitedLastYear makes a ward of campaign id's province with a target area
// exited in the previous year's campaign, for relapse watch to pick up; it
// reports whether there is a previous campaign to put it in.
func (e *authEnv) exitedLastYear(t testing.TB, id int64) bool {
	t.Helper()
	prev := e.previousCampaign(t, id)
	if prev == 0 {
		return false
	}
	prov := e.unit(e.tree.state.campaigns[id])
	year := int(e.queryInt(t, "SELECT year FROM campaigns WHERE id = ?", prev))
	ward := e.s.mustChild(t, prov, tenants.KindWard, e.nextCode())
	exit := &domain.Document{Number: "512/QĐ-BCĐ", Date: domain.Date{Year: year, Month: time.December, Day: 20}}
	if _, err := campaigns.LoadTargetArea(e.s.Root, e.s.DB, &domain.TargetArea{CampaignID: prev, UnitID: ward.ID, ProposedByUnitID: prov.ID,
		Reason: "Phức tạp về TTATXH", Deadline: domain.EndOfMonth(year, time.December), Status: domain.TargetExited, ExitDecision: exit}, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	e.resync(t)
	return true
}

// nextCampaign returns the campaign of the year after the area's campaign
// in the same province (0 for none).
func (e *authEnv) nextCampaign(t testing.TB, area int64) int64 {
	return e.queryInt(t, "SELECT n.id FROM campaigns AS n JOIN campaigns AS c ON c.province_id = n.province_id AND n.year = c.year + 1 "+
		"JOIN target_areas AS ta ON ta.campaign_id = c.id WHERE ta.id = ?", area)
}

// carryable reports whether the area may be carried over: in progress or
// not exited (approved too when ready says it will be started first), its
// unit not yet in the next year's campaign, which exists (or, when ready,
// will be made).
func (e *authEnv) carryable(t testing.TB, area int64, ready bool) bool {
	status := e.queryString(t, "SELECT status FROM target_areas WHERE id = ?", area)
	if status != domain.TargetInProgress && status != domain.TargetNotExited && (!ready || status != domain.TargetApproved) {
		return false
	}
	next := e.nextCampaign(t, area)
	if next == 0 {
		return ready
	}
	return e.queryInt(t, "SELECT COUNT(*) FROM target_areas WHERE campaign_id = ? AND unit_id = (SELECT unit_id FROM target_areas WHERE id = ?)", next, area) == 0
}

// ensureNextCampaign makes the next year's campaign of the area's province
// (as its province) when it has none yet.
func (e *authEnv) ensureNextCampaign(t testing.TB, area int64) {
	t.Helper()
	if e.nextCampaign(t, area) != 0 {
		return
	}
	camp := e.tree.state.areas[area].campaign
	prov := e.unit(e.tree.state.campaigns[camp])
	year := int(e.queryInt(t, "SELECT year FROM campaigns WHERE id = ?", camp))
	e.as(t, prov, "province").serveJSON(t, "POST", "/api/v1/campaigns", campaignBody(year+1), 201, nil)
	e.resync(t)
}
