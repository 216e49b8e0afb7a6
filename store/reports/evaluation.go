package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// objectKeys returns the member names of a JSON object, false when data is not one.
func objectKeys(data []byte) ([]string, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, false
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys, true
}

// evalValues are the values the criteria are judged on: the report's, the
// reviewer's assessment as political_system, and the target area's
// baseline as incidents_baseline when the report does not give one and the
// baseline covers a period of the same length as the report's (criterion 7
// compares like with like: a yearly baseline says nothing about one month).
func evalValues(r *Report, b *Baseline, c *campaign) domain.ReportValues {
	v := domain.CloneValues(r.Values)
	if r.Assessment != nil {
		v[domain.IndPoliticalSystem] = domain.AssessmentValue(*r.Assessment)
	} else {
		delete(v, domain.IndPoliticalSystem)
	}
	if _, ok := v.Count(domain.IndIncidentsBaseline); !ok && b != nil && c != nil {
		if p, ok := c.period(r.Period); ok && comparableSpan(b.PeriodFrom, b.PeriodTo, p.Start, p.End) {
			v[domain.IndIncidentsBaseline] = domain.CountValue(b.Incidents)
		}
	}
	return v
}

// comparableSpan says whether two inclusive date ranges have about the same
// length: within a tenth of the report period, and at least a week, so that
// a calendar quarter matches the seed's 15/12–12/03 window.
func comparableSpan(bFrom, bTo, pFrom, pTo domain.Date) bool {
	if bFrom.IsZero() || bTo.IsZero() || pFrom.IsZero() || pTo.IsZero() {
		return false
	}
	days := func(a, b domain.Date) int { return int(b.Time().Sub(a.Time()).Hours()/24+0.5) + 1 }
	bd, pd := days(bFrom, bTo), days(pFrom, pTo)
	diff := bd - pd
	if diff < 0 {
		diff = -diff
	}
	return diff <= max(7, pd/10)
}

// materialise writes the evaluation of r in tx, so that every accepted
// change to a report and its evaluation commit together.
//
// An area under relapse watch is judged on the campaign's relapse
// indicators instead (domain.EvaluateRelapse): the row's kind is relapse,
// its seven criteria columns are empty and met_count is 0, so it never
// counts as meeting a criterion.
func (s *Service) materialise(ctx context.Context, tx bun.IDB, c *campaign, r *Report) error {
	ta, err := loadTargetArea(ctx, tx, r.TargetAreaID)
	if err != nil {
		return err
	}
	b, err := findBaseline(ctx, tx, r.TargetAreaID)
	if err != nil {
		return err
	}
	s.fill(r, c)
	id := r.ID
	row := &Evaluation{
		CampaignID: r.CampaignID, TargetAreaID: r.TargetAreaID, UnitID: r.UnitID, Period: r.Period,
		ReportID: &id, ReportRevision: r.Revision, ReportStatus: r.Status, Timeliness: r.Timeliness,
		Kind: EvaluationCriteria, UpdatedAt: s.now(),
	}
	if ta.Status == domain.TargetRelapseWatch {
		rel := domain.EvaluateRelapse(evalValues(r, b, c), c.relapse, c.catalogue())
		row.Kind, row.Relapsed, row.ResultJSON = EvaluationRelapse, rel.Relapsed, mustJSON(rel)
	} else {
		ev := domain.Evaluate(evalValues(r, b, c), c.thresholds)
		row.MetCount, row.AllMet, row.ResultJSON = ev.MetCount, ev.AllMet, mustJSON(ev)
		cs := [7]*string{&row.C1, &row.C2, &row.C3, &row.C4, &row.C5, &row.C6, &row.C7}
		for i, cr := range ev.Criteria {
			*cs[i] = cr.Status
		}
	}
	_, err = tx.NewInsert().Model(row).
		On("CONFLICT (target_area_id, period) DO UPDATE").
		Set("campaign_id = EXCLUDED.campaign_id").Set("unit_id = EXCLUDED.unit_id").
		Set("report_id = EXCLUDED.report_id").Set("report_revision = EXCLUDED.report_revision").
		Set("report_status = EXCLUDED.report_status").Set("timeliness = EXCLUDED.timeliness").
		Set("met_count = EXCLUDED.met_count").Set("all_met = EXCLUDED.all_met").
		Set("c1 = EXCLUDED.c1").Set("c2 = EXCLUDED.c2").Set("c3 = EXCLUDED.c3").Set("c4 = EXCLUDED.c4").
		Set("c5 = EXCLUDED.c5").Set("c6 = EXCLUDED.c6").Set("c7 = EXCLUDED.c7").
		Set("result = EXCLUDED.result").Set("updated_at = EXCLUDED.updated_at").
		Set("kind = EXCLUDED.kind").Set("relapse = EXCLUDED.relapse").
		Exec(ctx)
	return err
}

// rematerialise re-evaluates every report of a target area (after its
// baseline changed) or, with taID 0, of a campaign (after its calendar changed).
func (s *Service) rematerialise(ctx context.Context, tx bun.IDB, c *campaign, taID int64) error {
	var rs []*Report
	q := tx.NewSelect().Model(&rs).Where("r.campaign_id = ?", c.row.ID)
	if taID != 0 {
		q = q.Where("r.target_area_id = ?", taID)
	}
	q, err := whereUnit(ctx, q, "r.unit_id")
	if err != nil {
		return err
	}
	if err := q.Scan(ctx); err != nil {
		return err
	}
	for _, r := range rs {
		if err := r.decode(); err != nil {
			return err
		}
		if err := s.materialise(ctx, tx, c, r); err != nil {
			return err
		}
	}
	return nil
}

func scanEvaluation(ev *Evaluation) error {
	if ev.Kind == EvaluationRelapse {
		ev.Relapse = new(domain.RelapseEvaluation)
		return json.Unmarshal([]byte(ev.ResultJSON), ev.Relapse)
	}
	return json.Unmarshal([]byte(ev.ResultJSON), &ev.Result)
}

// refreshTimeliness recomputes, as of now, the timeliness of evaluations
// whose report has never been submitted: stored when the report was last
// saved, "not due" turns "missing" once the due date passes without a write.
func (s *Service) refreshTimeliness(ctx context.Context, evs ...*Evaluation) error {
	camps := map[int64]*campaign{}
	for _, ev := range evs {
		if ev.Timeliness != domain.TimelinessNotDue && ev.Timeliness != domain.TimelinessMissing {
			continue
		}
		c, ok := camps[ev.CampaignID]
		if !ok {
			var err error
			if c, err = loadCampaign(ctx, s.DB, ev.CampaignID, ""); err != nil {
				return err
			}
			camps[ev.CampaignID] = c
		}
		if p, ok := c.period(ev.Period); ok {
			ev.Timeliness = domain.Timeliness(p, time.Time{}, s.now())
		}
	}
	return nil
}

// FindEvaluation returns the stored evaluation of a target area for a
// period; ENOTFOUND when there is none yet or it is outside the scope.
func (s *Service) FindEvaluation(ctx context.Context, taID int64, period string) (*Evaluation, error) {
	ev := new(Evaluation)
	q, err := whereUnit(ctx, s.DB.NewSelect().Model(ev).Where("ev.target_area_id = ?", taID).Where("ev.period = ?", period), "ev.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return s.unreportedEvaluation(ctx, taID, period)
	} else if err != nil {
		return nil, err
	}
	if err := scanEvaluation(ev); err != nil {
		return nil, err
	}
	return ev, s.refreshTimeliness(ctx, ev)
}

// unreportedEvaluation is the evaluation of a period for which no value has
// been saved yet: every criterion (or relapse indicator) missing, the
// report missing or not yet due. It is not stored (id 0, no report); the
// target area and the period must exist in the caller's scope (ENOTFOUND
// otherwise, exactly as for a stored one).
func (s *Service) unreportedEvaluation(ctx context.Context, taID int64, period string) (*Evaluation, error) {
	ta, c, p, err := reportContext(ctx, s.DB, taID, period, "")
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{CampaignID: ta.CampaignID, TargetAreaID: ta.ID, UnitID: ta.UnitID, Period: period,
		Timeliness: domain.Timeliness(p, time.Time{}, s.now()), Kind: EvaluationCriteria, UpdatedAt: ta.UpdatedAt}
	if ta.Status == domain.TargetRelapseWatch {
		rel := domain.EvaluateRelapse(domain.ReportValues{}, c.relapse, c.catalogue())
		ev.Kind, ev.Relapse = EvaluationRelapse, &rel
		return ev, nil
	}
	ev.Result = domain.Evaluate(domain.ReportValues{}, c.thresholds)
	ev.MetCount, ev.AllMet = ev.Result.MetCount, ev.Result.AllMet
	cs := [7]*string{&ev.C1, &ev.C2, &ev.C3, &ev.C4, &ev.C5, &ev.C6, &ev.C7}
	for i, cr := range ev.Result.Criteria {
		*cs[i] = cr.Status
	}
	return ev, nil
}

// FindEvaluations lists the stored evaluations of a target area, by period.
func (s *Service) FindEvaluations(ctx context.Context, taID int64) ([]*Evaluation, error) {
	if _, err := loadTargetArea(ctx, s.DB, taID); err != nil {
		return nil, err
	}
	var out []*Evaluation
	q, err := whereUnit(ctx, s.DB.NewSelect().Model(&out).Where("ev.target_area_id = ?", taID).OrderExpr("ev.period"), "ev.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	for _, ev := range out {
		if err := scanEvaluation(ev); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []*Evaluation{}
	}
	return out, s.refreshTimeliness(ctx, out...)
}

// findBaseline reads the baseline of a target area inside the scope, nil when none.
func findBaseline(ctx context.Context, db bun.IDB, taID int64) (*Baseline, error) {
	b := new(Baseline)
	cond, args, err := unitScope(ctx, "sta.unit_id")
	if err != nil {
		return nil, err
	}
	err = db.NewSelect().Model(b).Where("b.target_area_id = ?", taID).
		Where("b.target_area_id IN (SELECT sta.id FROM target_areas AS sta WHERE "+cond+")", args...).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}
