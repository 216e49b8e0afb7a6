// Package synthetic builds a national data set for benchmarks and tests:
// the real unit tree (the national list) cut or grown to the requested
// size, a campaign per province and year, about 5% of wards a year as
// target areas, and reports with plausible values whose evaluations are
// judged by domain.Evaluate, exactly as the report store would.
// Everything is written with multi-row inserts.
package synthetic

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/reports"
	"chuyenhoa/tenants"
	"chuyenhoa/tenants/official"
)

// Options size the data set.
type Options struct {
	Provinces int
	Wards     int
	Years     int
	// LastYear is the latest campaign year (the year of Now when 0).
	LastYear int
	// Seed makes the data set reproducible.
	Seed uint64
	// TargetShare is the share of a province's wards made target areas each
	// year, in per mille (50 = 5%, the default).
	TargetShare int
	// Units is the national list (code,name,kind,parent_code,unit_type);
	// units are invented when it is nil or too small.
	Units []tenants.ImportRow
	// Now is the clock: periods due after it have no reports yet.
	Now time.Time
	// Progress is told how far each stage is ("units", "campaigns", "target areas", "reports").
	Progress func(stage string, done, total int)
}

// Result counts what was written.
type Result struct {
	Provinces, Districts, Wards                  int
	UnitsCreated                                 int
	Campaigns, TargetAreas, Reports, Evaluations int
	// CampaignIDs are the campaigns written, by province code then year.
	CampaignIDs []int64
}

type unit struct {
	id       int64
	code     string
	name     string
	kind     string
	parent   *unit
	tenantID int64
}

// Generate writes the data set into db, which must be migrated. Units that
// already exist (by code) are reused; campaigns that already exist for a
// province and year are left alone and not counted.
func Generate(ctx context.Context, db *bun.DB, o Options) (*Result, error) {
	if o.Provinces <= 0 || o.Wards <= 0 || o.Years <= 0 {
		return nil, fmt.Errorf("synthetic: provinces, wards and years must be positive")
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.LastYear == 0 {
		o.LastYear = domain.DateOf(o.Now).Year
	}
	if o.TargetShare <= 0 {
		o.TargetShare = 50
	}
	if o.Progress == nil {
		o.Progress = func(string, int, int) {}
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	rows := chooseUnits(o, rng)
	res := &Result{}
	provinces, wards, err := writeUnits(ctx, db, rows, o, res)
	if err != nil {
		return nil, err
	}
	g := &gen{db: db, o: o, rng: rng, res: res}
	if err := g.campaigns(ctx, provinces, wards); err != nil {
		return nil, err
	}
	return res, nil
}

// chooseUnits picks the first o.Provinces provinces of the list and
// o.Wards of their wards, spread over the provinces in proportion to their
// size (at least one each), inventing provinces, districts and wards when
// the list is too small.
func chooseUnits(o Options, rng *rand.Rand) []tenants.ImportRow {
	byParent := map[string][]tenants.ImportRow{}
	var provinces []tenants.ImportRow
	for _, r := range o.Units {
		if r.Kind == tenants.KindProvince {
			provinces = append(provinces, r)
		} else {
			byParent[r.ParentCode] = append(byParent[r.ParentCode], r)
		}
	}
	if len(provinces) > o.Provinces {
		provinces = provinces[:o.Provinces]
	}
	for i := len(provinces); i < o.Provinces; i++ {
		code := fmt.Sprintf("SP%02d", i+1)
		p := tenants.ImportRow{Code: code, Name: fmt.Sprintf("Tỉnh Tổng Hợp %d", i+1), Kind: tenants.KindProvince, UnitType: "Tỉnh"}
		provinces = append(provinces, p)
		for d := 1; d <= 10; d++ {
			byParent[code] = append(byParent[code], tenants.ImportRow{Code: fmt.Sprintf("%sD%02d", code, d), Name: fmt.Sprintf("Huyện Tổng Hợp %d-%d", i+1, d),
				Kind: tenants.KindDistrict, ParentCode: code, UnitType: "Huyện"})
		}
	}
	// The wards of each province, in list order.
	wardsOf := make([][]tenants.ImportRow, len(provinces))
	total := 0
	for i, p := range provinces {
		for _, c := range byParent[p.Code] {
			if c.Kind == tenants.KindWard {
				wardsOf[i] = append(wardsOf[i], c)
			}
			for _, w := range byParent[c.Code] {
				if w.Kind == tenants.KindWard {
					wardsOf[i] = append(wardsOf[i], w)
				}
			}
		}
		total += len(wardsOf[i])
	}
	// Quotas by largest remainder, at least one ward per province.
	quota := make([]int, len(provinces))
	if total > 0 {
		type rem struct{ i, r int }
		var rems []rem
		sum := 0
		for i := range provinces {
			q := o.Wards * len(wardsOf[i]) / total
			quota[i] = max(q, 1)
			sum += quota[i]
			rems = append(rems, rem{i, o.Wards * len(wardsOf[i]) % total})
		}
		sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
		for k := 0; sum < o.Wards; k = (k + 1) % len(rems) {
			quota[rems[k].i]++
			sum++
		}
	} else {
		for i := range quota {
			quota[i] = max(o.Wards/len(provinces), 1)
		}
	}
	out := slices.Clone(provinces)
	serial := 0
	for i, p := range provinces {
		ws := slices.Clone(wardsOf[i])
		rng.Shuffle(len(ws), func(a, b int) { ws[a], ws[b] = ws[b], ws[a] })
		if len(ws) > quota[i] {
			ws = ws[:quota[i]]
		}
		// Invent wards when the province has fewer than its quota.
		var districts []tenants.ImportRow
		for _, c := range byParent[p.Code] {
			if c.Kind == tenants.KindDistrict {
				districts = append(districts, c)
			}
		}
		for len(ws) < quota[i] {
			serial++
			parent := p.Code
			if len(districts) > 0 {
				parent = districts[rng.IntN(len(districts))].Code
			}
			ws = append(ws, tenants.ImportRow{Code: fmt.Sprintf("SW%06d", serial), Name: fmt.Sprintf("Xã Tổng Hợp %d", serial),
				Kind: tenants.KindWard, ParentCode: parent, UnitType: "Xã"})
		}
		used := map[string]bool{}
		for _, w := range ws {
			used[w.ParentCode] = true
		}
		for _, d := range districts {
			if used[d.Code] {
				out = append(out, d)
			}
		}
		out = append(out, ws...)
	}
	return out
}

// writeUnits imports the units that do not exist yet and reads every
// chosen unit back; it returns the provinces and the wards of each.
func writeUnits(ctx context.Context, db *bun.DB, rows []tenants.ImportRow, o Options, res *Result) ([]*unit, map[int64][]*unit, error) {
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	existing := map[string]bool{}
	for i := 0; i < len(codes); i += 500 {
		var found []string
		if err := db.NewSelect().Table("units").Column("code").Where("code IN (?)", bun.In(codes[i:min(i+500, len(codes))])).Scan(ctx, &found); err != nil {
			return nil, nil, err
		}
		for _, c := range found {
			existing[c] = true
		}
	}
	var fresh []tenants.ImportRow
	for _, r := range rows {
		if !existing[r.Code] {
			fresh = append(fresh, r)
		}
	}
	if len(fresh) > 0 {
		units := &tenants.Units{DB: db, Now: func() time.Time { return o.Now }}
		actx := tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
		ir, err := units.Import(actx, fresh, nil, func(done, total int) { o.Progress("units", done, total) })
		if err != nil {
			return nil, nil, fmt.Errorf("synthetic: import units: %w", err)
		}
		res.UnitsCreated = ir.Created
	}
	o.Progress("units", len(fresh), len(fresh))
	byCode := map[string]*unit{}
	for i := 0; i < len(codes); i += 500 {
		var found []struct {
			ID       int64  `bun:"id"`
			Code     string `bun:"code"`
			Name     string `bun:"name"`
			Kind     string `bun:"kind"`
			ParentID *int64 `bun:"parent_id"`
			TenantID *int64 `bun:"tenant_id"`
		}
		if err := db.NewSelect().Table("units").Column("id", "code", "name", "kind", "parent_id", "tenant_id").
			Where("code IN (?)", bun.In(codes[i:min(i+500, len(codes))])).Scan(ctx, &found); err != nil {
			return nil, nil, err
		}
		for _, f := range found {
			u := &unit{id: f.ID, code: f.Code, name: f.Name, kind: f.Kind}
			if f.TenantID != nil {
				u.tenantID = *f.TenantID
			}
			byCode[f.Code] = u
		}
	}
	byID := map[int64]*unit{}
	for _, u := range byCode {
		byID[u.id] = u
	}
	var provinces []*unit
	wards := map[int64][]*unit{}
	for _, r := range rows {
		u := byCode[r.Code]
		if u == nil {
			return nil, nil, fmt.Errorf("synthetic: unit %s not found after import", r.Code)
		}
		if r.ParentCode != "" {
			u.parent = byCode[r.ParentCode]
		}
		switch u.kind {
		case tenants.KindProvince:
			provinces = append(provinces, u)
			res.Provinces++
		case tenants.KindDistrict:
			res.Districts++
		case tenants.KindWard:
			wards[u.tenantID] = append(wards[u.tenantID], u)
			res.Wards++
		}
	}
	return provinces, wards, nil
}

// campaignRow is a row of campaigns as this package writes it.
type campaignRow struct {
	bun.BaseModel `bun:"table:campaigns"`

	ID                int64     `bun:"id,pk,autoincrement"`
	ProvinceID        int64     `bun:"province_id"`
	Year              int       `bun:"year"`
	Title             string    `bun:"title"`
	Decision          string    `bun:"decision"`
	Documents         string    `bun:"documents"`
	Calendar          string    `bun:"calendar"`
	Thresholds        string    `bun:"thresholds"`
	Indicators        string    `bun:"indicators"`
	PlanDue           string    `bun:"plan_due"`
	ExitPeriod        string    `bun:"exit_period"`
	MonthlyDueDay     int       `bun:"monthly_due_day"`
	RelapseIndicators string    `bun:"relapse_indicators"`
	CreatedAt         time.Time `bun:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at"`
}

// targetRow is a row of target_areas as this package writes it.
type targetRow struct {
	bun.BaseModel `bun:"table:target_areas"`

	ID         int64     `bun:"id,pk,autoincrement"`
	CampaignID int64     `bun:"campaign_id"`
	UnitID     int64     `bun:"unit_id"`
	DistrictID int64     `bun:"district_id"`
	Status     string    `bun:"status"`
	Reason     string    `bun:"reason"`
	Version    int       `bun:"version"`
	CreatedAt  time.Time `bun:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

type gen struct {
	db  *bun.DB
	o   Options
	rng *rand.Rand
	res *Result
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (g *gen) campaigns(ctx context.Context, provinces []*unit, wards map[int64][]*unit) error {
	now := g.o.Now.UTC()
	firstYear := g.o.LastYear - g.o.Years + 1
	var rows []*campaignRow
	for _, p := range provinces {
		for y := firstYear; y <= g.o.LastYear; y++ {
			c := domain.NewCampaign(p.id, y)
			dec := domain.Document{Number: fmt.Sprintf("%d/QĐ-BCĐ", 100+g.rng.IntN(300)), Date: domain.Date{Year: y, Month: time.February, Day: 1 + g.rng.IntN(20)},
				Issuer: "Ban Chỉ đạo " + p.name}
			rows = append(rows, &campaignRow{ProvinceID: p.id, Year: y, Title: c.Title, Decision: mustJSON(dec), Documents: "[]",
				Calendar: mustJSON(c.Calendar), Thresholds: mustJSON(c.Thresholds), Indicators: "[]", PlanDue: c.WardPlanDue.String(),
				ExitPeriod: c.ExitPeriod, MonthlyDueDay: c.MonthlyReportDueDay, RelapseIndicators: mustJSON(c.RelapseIndicators),
				CreatedAt: now, UpdatedAt: now})
		}
	}
	// Leave existing campaigns (province, year) alone.
	type key struct {
		p int64
		y int
	}
	var have []struct {
		ProvinceID int64 `bun:"province_id"`
		Year       int   `bun:"year"`
	}
	if err := g.db.NewSelect().Table("campaigns").Column("province_id", "year").Scan(ctx, &have); err != nil {
		return err
	}
	exists := map[key]bool{}
	for _, h := range have {
		exists[key{h.ProvinceID, h.Year}] = true
	}
	rows = slices.DeleteFunc(rows, func(r *campaignRow) bool { return exists[key{r.ProvinceID, r.Year}] })
	for i := 0; i < len(rows); i += 200 {
		chunk := rows[i:min(i+200, len(rows))]
		if _, err := g.db.NewInsert().Model(&chunk).Returning("NULL").Exec(ctx); err != nil {
			return fmt.Errorf("synthetic: campaigns: %w", err)
		}
		g.o.Progress("campaigns", i+len(chunk), len(rows))
	}
	// Read the ids back: RETURNING order is not promised.
	ids := map[key]int64{}
	var back []struct {
		ID         int64 `bun:"id"`
		ProvinceID int64 `bun:"province_id"`
		Year       int   `bun:"year"`
	}
	if err := g.db.NewSelect().Table("campaigns").Column("id", "province_id", "year").Scan(ctx, &back); err != nil {
		return err
	}
	for _, b := range back {
		ids[key{b.ProvinceID, b.Year}] = b.ID
	}
	for _, r := range rows {
		r.ID = ids[key{r.ProvinceID, r.Year}]
		g.res.CampaignIDs = append(g.res.CampaignIDs, r.ID)
	}
	g.res.Campaigns = len(rows)
	return g.targets(ctx, rows, wards)
}

// targetStatus draws a plausible status for a target area of a campaign
// year: past years have mostly ended, the current one is under way.
func (g *gen) targetStatus(current bool) string {
	n := g.rng.IntN(100)
	if current {
		switch {
		case n < 70:
			return domain.TargetInProgress
		case n < 85:
			return domain.TargetApproved
		case n < 95:
			return domain.TargetProposed
		}
		return domain.TargetRejected
	}
	switch {
	case n < 50:
		return domain.TargetExited
	case n < 70:
		return domain.TargetNotExited
	case n < 85:
		return domain.TargetCarriedOver
	case n < 90:
		return domain.TargetExitProposed
	case n < 95:
		return domain.TargetInProgress
	}
	return domain.TargetRejected
}

func (g *gen) targets(ctx context.Context, campaigns []*campaignRow, wards map[int64][]*unit) error {
	now := g.o.Now.UTC()
	var rows []*targetRow
	unitOf := map[int64]*unit{}
	for _, c := range campaigns {
		ws := wards[c.ProvinceID]
		n := max((len(ws)*g.o.TargetShare+500)/1000, 1)
		n = min(n, len(ws))
		perm := g.rng.Perm(len(ws))[:n]
		sort.Ints(perm)
		for _, i := range perm {
			w := ws[i]
			unitOf[w.id] = w
			// The district, or the province for a ward directly under it.
			var did int64
			if w.parent != nil {
				did = w.parent.id
			}
			rows = append(rows, &targetRow{CampaignID: c.ID, UnitID: w.id, DistrictID: did, Status: g.targetStatus(c.Year == g.o.LastYear),
				Reason: "Địa bàn phức tạp về trật tự, an toàn xã hội (dữ liệu tổng hợp)", Version: 1, CreatedAt: now, UpdatedAt: now})
		}
	}
	for i := 0; i < len(rows); i += 500 {
		chunk := rows[i:min(i+500, len(rows))]
		if _, err := g.db.NewInsert().Model(&chunk).Returning("NULL").Exec(ctx); err != nil {
			return fmt.Errorf("synthetic: target areas: %w", err)
		}
		g.o.Progress("target areas", i+len(chunk), len(rows))
	}
	type key struct{ c, u int64 }
	ids := map[key]int64{}
	cids := make([]int64, len(campaigns))
	for i, c := range campaigns {
		cids[i] = c.ID
	}
	for i := 0; i < len(cids); i += 500 {
		var back []struct {
			ID         int64 `bun:"id"`
			CampaignID int64 `bun:"campaign_id"`
			UnitID     int64 `bun:"unit_id"`
		}
		if err := g.db.NewSelect().Table("target_areas").Column("id", "campaign_id", "unit_id").
			Where("campaign_id IN (?)", bun.In(cids[i:min(i+500, len(cids))])).Scan(ctx, &back); err != nil {
			return err
		}
		for _, b := range back {
			ids[key{b.CampaignID, b.UnitID}] = b.ID
		}
	}
	for _, r := range rows {
		r.ID = ids[key{r.CampaignID, r.UnitID}]
	}
	g.res.TargetAreas = len(rows)
	byID := map[int64]*campaignRow{}
	for _, c := range campaigns {
		byID[c.ID] = c
	}
	return g.reports(ctx, byID, rows)
}

// activeTarget reports whether a target area owes reports.
func activeTarget(status string) bool {
	return status != domain.TargetNone && status != domain.TargetProposed && status != domain.TargetRejected
}

func (g *gen) reports(ctx context.Context, campaigns map[int64]*campaignRow, targets []*targetRow) error {
	now := g.o.Now.UTC()
	var reps []*reports.Report
	var evals []*reports.Evaluation
	flush := func(force bool) error {
		if len(reps) < 500 && !(force && len(reps) > 0) {
			return nil
		}
		if _, err := g.db.NewInsert().Model(&reps).Returning("NULL").Exec(ctx); err != nil {
			return fmt.Errorf("synthetic: reports: %w", err)
		}
		// The evaluations point at their reports: read the ids back by (target area, period).
		taIDs := make([]int64, 0, len(reps))
		for _, r := range reps {
			taIDs = append(taIDs, r.TargetAreaID)
		}
		var back []struct {
			ID           int64  `bun:"id"`
			TargetAreaID int64  `bun:"target_area_id"`
			Period       string `bun:"period"`
		}
		if err := g.db.NewSelect().Table("reports").Column("id", "target_area_id", "period").Where("target_area_id IN (?)", bun.In(taIDs)).Scan(ctx, &back); err != nil {
			return err
		}
		type key struct {
			ta int64
			p  string
		}
		ids := map[key]int64{}
		for _, b := range back {
			ids[key{b.TargetAreaID, b.Period}] = b.ID
		}
		for _, e := range evals {
			id := ids[key{e.TargetAreaID, e.Period}]
			e.ReportID = &id
		}
		if _, err := g.db.NewInsert().Model(&evals).Returning("NULL").Exec(ctx); err != nil {
			return fmt.Errorf("synthetic: evaluations: %w", err)
		}
		g.res.Reports += len(reps)
		g.res.Evaluations += len(evals)
		reps, evals = reps[:0], evals[:0]
		return nil
	}
	for i, ta := range targets {
		if !activeTarget(ta.Status) {
			continue
		}
		c := campaigns[ta.CampaignID]
		var cal []domain.Period
		json.Unmarshal([]byte(c.Calendar), &cal)
		th := domain.DefaultThresholds()
		// A latent quality of the area: good areas meet more criteria, and
		// every area improves through the year.
		quality := g.rng.Float64()
		for pi, p := range cal {
			r, ev := g.report(ta, p, pi, quality, th, now)
			if r == nil {
				continue
			}
			reps = append(reps, r)
			evals = append(evals, ev)
		}
		if err := flush(false); err != nil {
			return err
		}
		g.o.Progress("reports", i+1, len(targets))
	}
	if err := flush(true); err != nil {
		return err
	}
	g.o.Progress("reports", len(targets), len(targets))
	return nil
}

// report draws the report of a target area for a period (nil when none was
// sent or the period has not started) and judges it.
func (g *gen) report(ta *targetRow, p domain.Period, index int, quality float64, th domain.Thresholds, now time.Time) (*reports.Report, *reports.Evaluation) {
	start, due := p.Start.Time(), p.DueAt()
	if now.Before(start) {
		return nil, nil
	}
	status := domain.ReportAccepted
	var submitted *time.Time
	n := g.rng.IntN(100)
	if now.Before(due) {
		// The current period: some are in, some are being written.
		switch {
		case n < 40:
			return nil, nil
		case n < 70:
			status = domain.ReportDraft
		case n < 90:
			status = domain.ReportSubmitted
		}
	} else {
		switch {
		case n < 7:
			return nil, nil
		case n < 9:
			status = domain.ReportDraft
		case n < 14:
			status = domain.ReportReturned
		case n < 22:
			status = domain.ReportSubmitted
		}
	}
	if status != domain.ReportDraft {
		var t time.Time
		if g.rng.IntN(100) < 12 {
			t = due.Add(time.Duration(1+g.rng.IntN(20*24)) * time.Hour)
		} else {
			t = due.Add(-time.Duration(1+g.rng.IntN(10*24)) * time.Hour)
		}
		if t.After(now) {
			t = now.Add(-time.Minute)
		}
		if t.Before(start) {
			t = start.Add(time.Hour)
		}
		t = t.UTC()
		submitted = &t
	}
	progress := float64(index) * 0.08
	values, assessment := g.values(quality+progress, status == domain.ReportDraft)
	r := &reports.Report{CampaignID: ta.CampaignID, TargetAreaID: ta.ID, UnitID: ta.UnitID, Period: p.Code, Status: status,
		Revision: 1, Version: 1, ValuesJSON: mustJSON(values), FieldCommentsJSON: "{}", SubmittedAt: submitted, LastSubmittedAt: submitted,
		CreatedAt: now, UpdatedAt: now}
	if submitted != nil {
		r.SubmittedRevision = 1
		r.Late = domain.IsLate(*submitted, p)
	}
	if status == domain.ReportReturned {
		r.Revision = 2
		r.ReviewComment = "Đề nghị bổ sung số liệu (dữ liệu tổng hợp)"
	}
	if status == domain.ReportAccepted {
		t := submitted.Add(time.Duration(1+g.rng.IntN(96)) * time.Hour)
		if t.After(now) {
			t = now
		}
		r.AcceptedAt = &t
	}
	if assessment != nil {
		s := mustJSON(assessment)
		r.AssessmentJSON = &s
	}
	ev := domain.Evaluate(EvalValues(values, assessment), th)
	var sub time.Time
	if submitted != nil {
		sub = *submitted
	}
	row := &reports.Evaluation{CampaignID: ta.CampaignID, TargetAreaID: ta.ID, UnitID: ta.UnitID, Period: p.Code,
		ReportRevision: r.Revision, ReportStatus: status, Timeliness: domain.Timeliness(p, sub, now),
		MetCount: ev.MetCount, AllMet: ev.AllMet, ResultJSON: mustJSON(ev), UpdatedAt: now}
	cs := [7]*string{&row.C1, &row.C2, &row.C3, &row.C4, &row.C5, &row.C6, &row.C7}
	for i, cr := range ev.Criteria {
		*cs[i] = cr.Status
	}
	return r, row
}

// EvalValues returns the values the criteria are judged on, as the report
// store builds them: the report's values with the district's assessment
// as political_system.
func EvalValues(values domain.ReportValues, assessment *domain.Assessment) domain.ReportValues {
	v := domain.CloneValues(values)
	delete(v, domain.IndPoliticalSystem)
	if assessment != nil {
		v[domain.IndPoliticalSystem] = domain.AssessmentValue(*assessment)
	}
	return v
}

// values draws plausible report values: q near 1 meets most criteria; a
// draft leaves some figures out.
func (g *gen) values(q float64, draft bool) (domain.ReportValues, *domain.Assessment) {
	r := g.rng
	ok := func() bool { return r.Float64() < 0.35+0.6*min(q, 1) }
	v := domain.ReportValues{}
	count := func(code string, n int64) { v[code] = domain.CountValue(max(n, 0)) }
	received := int64(r.IntN(40))
	processed := received
	if !ok() && received > 0 {
		processed = received - int64(1+r.IntN(int(min(received, 3))))
	}
	count(domain.IndTipsReceived, received)
	count(domain.IndTipsProcessed, processed)

	households := int64(800 + r.IntN(5200))
	reached := households
	if !ok() {
		reached = households - int64(1+r.IntN(60))
	}
	count(domain.IndHouseholds, households)
	count(domain.IndHouseholdsReached, reached)

	active := int64(1 + r.IntN(6))
	effective := active
	if !ok() {
		effective = int64(r.IntN(int(active)))
	}
	count(domain.IndModelsActive, active)
	count(domain.IndModelsEffective, effective)
	v[domain.IndCommunityRules] = domain.BoolValue(ok() || r.IntN(2) == 0)
	v[domain.IndOrganisedCrime] = domain.BoolValue(r.IntN(100) < 3)

	initiated := int64(r.IntN(30))
	solved := initiated
	if initiated > 0 {
		if ok() {
			solved = initiated - int64(r.IntN(int(initiated/5)+1))
		} else {
			solved = initiated * int64(40+r.IntN(40)) / 100
		}
	}
	serious := min(int64(r.IntN(5)), initiated)
	seriousSolved := min(serious, solved)
	if !ok() && seriousSolved > 0 {
		seriousSolved--
	}
	count(domain.IndCasesInitiated, initiated)
	count(domain.IndCasesSolved, solved)
	count(domain.IndSeriousInitiated, serious)
	count(domain.IndSeriousSolved, seriousSolved)

	released := int64(r.IntN(40))
	reoff := int64(0)
	if released > 0 {
		if ok() {
			reoff = released * int64(r.IntN(14)) / 100
		} else {
			reoff = released * int64(15+r.IntN(20)) / 100
		}
	}
	count(domain.IndReleasedResiding, released)
	count(domain.IndReoffending, reoff)

	baseline := int64(20 + r.IntN(180))
	current := baseline
	if ok() {
		current = baseline * int64(55+r.IntN(36)) / 100
	} else {
		current = baseline * int64(91+r.IntN(15)) / 100
	}
	count(domain.IndIncidentsBaseline, baseline)
	count(domain.IndIncidentsCurrent, current)

	for _, code := range []string{domain.IndPropagandaSessions, domain.IndPatrols, domain.IndBusinessesInspected, domain.IndRehabDossiers,
		domain.IndDrugUsersManaged, domain.IndNewDrugUsers, domain.IndWeaponsCollected, domain.IndWantedSurrendered} {
		count(code, int64(r.IntN(50)))
	}
	var a *domain.Assessment
	if !draft || r.IntN(2) == 0 {
		a = &domain.Assessment{Met: ok(), Note: "Đánh giá của Ban Chỉ đạo huyện (dữ liệu tổng hợp)"}
	}
	if draft {
		// A draft is partly entered.
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if r.IntN(4) == 0 {
				delete(v, k)
			}
		}
	}
	if err := domain.ValidateReportValues(v); err != nil {
		panic("synthetic: invalid values: " + err.Error())
	}
	return v, a
}

// NationalUnits returns the real 2019 national list (63 provinces, 713
// districts, 11,160 wards) embedded in the binary: the shape the synthetic
// country is cut from or grown to.
func NationalUnits() []tenants.ImportRow {
	rows, err := tenants.OfficialRows(official.List2019)
	if err != nil {
		panic("synthetic: " + err.Error()) // the embedded list is tested
	}
	return rows
}

// ParseUnits reads the national list (code,name,kind,parent_code,unit_type).
func ParseUnits(r io.Reader) ([]tenants.ImportRow, error) {
	rows, bad, err := tenants.ParseCSV(r)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("synthetic: units list: %d bad lines (first: line %d)", len(bad), bad[0].Line)
	}
	return rows, nil
}
