package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/domain"
	"chuyenhoa/domain/demo"
	"chuyenhoa/store"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/reports"
	"chuyenhoa/tenants"
)

// demoUser is one demo account: a role at a unit (no unit for admin).
type demoUser struct {
	username, fullName, role, unitCode string
}

// demoUsers are the demo accounts, one per role.
var demoUsers = []demoUser{
	{"demo.tinh", "Cán bộ Ban Chỉ đạo tỉnh Bắc Giang (demo)", identity.RoleProvince, demo.ProvinceCode},
	{"demo.huyen", "Cán bộ Ban Chỉ đạo thị xã Việt Yên (demo)", identity.RoleDistrict, demo.DistrictCode},
	{"demo.xa", "Cán bộ Ban Chỉ đạo phường Nếnh (demo)", identity.RoleWard, demo.NenhCode},
	{"demo.congan", "Cán bộ Công an phường Nếnh (demo)", identity.RolePolice, demo.NenhCode},
	{"demo.admin", "Quản trị hệ thống (demo)", identity.RoleAdmin, ""},
}

// seedDemo loads, idempotently and in one transaction, the demo province of
// the seed plan: Bắc Giang with Việt Yên's 17 wards and two more districts,
// the 2024 campaign of Quyết định 301/QĐ-BCĐ, Phường Nếnh and three more
// wards as approved target areas, their baselines and Q1 reports (entered,
// submitted, returned, assessed and accepted through the report store the
// API uses, so evaluations are materialised as in production), the
// district's plan with the seed's text, Nếnh's draft plan, both steering
// committees and one user per role. New users' passwords are printed once;
// a second run finds everything and changes nothing.
func seedDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 0 {
		return fmt.Errorf("usage: chuyenhoa seed demo")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := store.Migrate(ctx, db); err != nil {
		return err
	}
	enf, err := authz.New(ctx, db)
	if err != nil {
		return err
	}
	s := &demoSeeder{
		ids: &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.DefaultParams, 0)},
		now: time.Now().UTC(), units: map[string]*tenants.Unit{},
	}
	// The operator's CLI acts with the platform scope: it runs on the server.
	ctx = tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
	ctx = audit.NewContextWithActor(ctx, audit.Actor{Username: "chuyenhoa seed demo"})
	if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		s.tx = tx
		return s.run(ctx)
	}); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	fmt.Fprintf(stdout, "demo data: %s\n", demo.Summary())
	for _, l := range s.log {
		fmt.Fprintln(stdout, "  "+l)
	}
	if len(s.passwords) > 0 {
		fmt.Fprintln(stdout, "demo users (passwords are shown only this once; keep them now):")
		for _, l := range s.passwords {
			fmt.Fprintln(stdout, "  "+l)
		}
	}
	return nil
}

type demoSeeder struct {
	tx        bun.Tx
	ids       *identity.Service
	now       time.Time
	units     map[string]*tenants.Unit
	camp      *campaigns.Campaign
	areas     map[string]int64 // target area id by unit code
	log       []string
	passwords []string
}

func (s *demoSeeder) logf(format string, args ...any) {
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

func (s *demoSeeder) run(ctx context.Context) error {
	for _, step := range []func(context.Context) error{s.seedUnits, s.seedCampaign, s.seedTargetAreas, s.seedReports, s.seedPlans, s.seedCommittees, s.seedUsers} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (s *demoSeeder) record(ctx context.Context, action, objectType string, id int64, unit *tenants.Unit, after any) error {
	return audit.Record(ctx, s.tx, audit.Change{Action: action, ObjectType: objectType, ObjectID: fmt.Sprint(id), Unit: unit, After: after})
}

func (s *demoSeeder) seedUnits(ctx context.Context) error {
	created := 0
	for _, u := range demo.Units() {
		got, err := tenants.FindUnitByCode(ctx, s.tx, u.Code)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			got, err = tenants.CreateUnit(ctx, s.tx, tenants.NewUnit{Code: u.Code, Name: u.Name, Kind: u.Kind, UnitType: u.UnitType, ParentCode: u.ParentCode}, s.now)
			if err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
			if err := s.record(ctx, "unit.create", "unit", got.ID, got, got); err != nil {
				return err
			}
			created++
		} else if err != nil {
			return err
		}
		s.units[u.Code] = got
	}
	s.logf("units: %d created, %d already there", created, len(s.units)-created)
	return nil
}

func (s *demoSeeder) seedCampaign(ctx context.Context) error {
	prov := s.units[demo.ProvinceCode]
	year := demo.CampaignYear
	list, _, err := campaigns.FindCampaigns(ctx, s.tx, campaigns.CampaignFilter{Year: &year, Limit: 1000})
	if err != nil {
		return err
	}
	for _, c := range list {
		if c.ProvinceUnitID == prov.ID {
			s.camp = c
			s.logf("campaign %d (%s): already there", year, c.Decision.Number)
			return nil
		}
	}
	c := demo.Campaign2024().Campaign
	c.ProvinceUnitID = prov.ID
	if s.camp, err = campaigns.CreateCampaign(ctx, s.tx, &c, 0, s.now); err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	s.logf("campaign %d (%s): created", year, c.Decision.Number)
	return s.record(ctx, "campaign.create", "campaign", s.camp.ID, prov, s.camp)
}

func (s *demoSeeder) seedTargetAreas(ctx context.Context) error {
	s.areas = map[string]int64{}
	for _, dta := range demo.Campaign2024().TargetAreas {
		unit := s.units[dta.UnitCode]
		list, _, err := campaigns.FindTargetAreas(ctx, s.tx, campaigns.TargetAreaFilter{CampaignID: &s.camp.ID, UnitID: &unit.ID})
		if err != nil {
			return err
		}
		if len(list) > 0 {
			s.areas[dta.UnitCode] = list[0].ID
			s.logf("target area %s: already there (%s)", unit.Name, domain.TargetStatusLabel(list[0].Status))
			continue
		}
		ta := dta.TargetArea
		ta.CampaignID, ta.UnitID, ta.ProposedByUnitID = s.camp.ID, unit.ID, s.units[dta.ProposedByCode].ID
		var history []domain.TargetEvent
		for _, h := range dta.History {
			e := h.Event
			e.ActorUnitID = s.units[h.ActorCode].ID
			history = append(history, e)
		}
		got, err := campaigns.LoadTargetArea(ctx, s.tx, &ta, history, s.now)
		if err != nil {
			return fmt.Errorf("target area %s: %w", unit.Name, err)
		}
		s.areas[dta.UnitCode] = got.ID
		s.logf("target area %s: created (%s)", unit.Name, domain.TargetStatusLabel(got.Status))
		if err := s.record(ctx, "target_area.load", "target_area", got.ID, unit, got); err != nil {
			return err
		}
	}
	return nil
}

// reportStore returns the report store inside the seed's transaction with
// its clock stopped at at, when the demo step happened.
func (s *demoSeeder) reportStore(at time.Time) *reports.Service {
	return &reports.Service{DB: s.tx, Now: func() time.Time { return at }}
}

// actingAs returns ctx carrying the seed operator as a user with role, so
// the report store applies that role's entry rights. The operator has no
// unit (the platform scope the seed runs with) and no account.
func actingAs(ctx context.Context, role string) context.Context {
	return identity.NewContextWithUser(ctx, &identity.User{Username: "chuyenhoa seed demo", FullName: "chuyenhoa seed demo", Roles: []string{role}})
}

// seedReports enters the demo baselines and Q1 reports step by step through
// the report store, each step at its own date. A report or a baseline
// already there is left alone.
func (s *demoSeeder) seedReports(ctx context.Context) error {
	for _, b := range demo.Baselines2024() {
		unit, ta := s.units[b.UnitCode], s.areas[b.UnitCode]
		svc := s.reportStore(b.At)
		if _, err := svc.FindBaseline(ctx, ta); err == nil {
			s.logf("baseline of %s: already there", unit.Name)
			continue
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		n := b.Incidents
		if _, err := svc.PutBaseline(actingAs(ctx, domain.RolePolice), ta, reports.BaselineInput{Incidents: &n, PeriodFrom: b.From, PeriodTo: b.To, Note: b.Note}); err != nil {
			return fmt.Errorf("baseline of %s: %w", unit.Name, err)
		}
		s.logf("baseline of %s: created (%d vụ)", unit.Name, n)
	}
	for _, dr := range demo.Reports2024() {
		unit, ta := s.units[dr.UnitCode], s.areas[dr.UnitCode]
		r, err := s.reportStore(s.now).ReportByPeriod(ctx, ta, dr.Period)
		if err != nil {
			return err
		}
		if r.ID != 0 {
			s.logf("report %s of %s: already there (%s)", dr.Period, unit.Name, domain.ReportStatusLabel(r.Status))
			continue
		}
		for i, step := range dr.Steps {
			if r, err = s.reportStep(actingAs(ctx, step.Role), ta, dr.Period, r, step); err != nil {
				return fmt.Errorf("report %s of %s, step %d (%s): %w", dr.Period, unit.Name, i+1, step.Action, err)
			}
		}
		ev, err := s.reportStore(s.now).FindEvaluation(ctx, ta, dr.Period)
		if err != nil {
			return err
		}
		s.logf("report %s of %s: created (%s, %d/7 tiêu chí đạt)", dr.Period, unit.Name, domain.ReportStatusLabel(r.Status), ev.MetCount)
	}
	return nil
}

// reportStep applies one demo step to report r and returns the report after it.
func (s *demoSeeder) reportStep(ctx context.Context, ta int64, period string, r *reports.Report, step demo.ReportStep) (*reports.Report, error) {
	svc := s.reportStore(step.At)
	switch step.Action {
	case demo.StepSave:
		data, err := json.Marshal(step.Values)
		if err != nil {
			return nil, err
		}
		return svc.SaveValues(ctx, ta, period, r.Version, data)
	case demo.StepSubmit:
		res, err := svc.Submit(ctx, r.ID, reports.SubmitInput{Version: &r.Version}, nil)
		if err != nil {
			return nil, err
		}
		return res.Report, nil
	case demo.StepReturn:
		return svc.Return(ctx, r.ID, reports.ReturnInput{ReturnInput: domain.ReturnInput{Reason: step.Comment, Fields: step.Fields}, Version: &r.Version})
	case demo.StepAssess:
		return svc.Assess(ctx, r.ID, reports.AssessInput{Assessment: *step.Assessment, Version: &r.Version})
	case demo.StepAccept:
		return svc.Accept(ctx, r.ID, reports.ReviewInput{Comment: step.Comment, Version: &r.Version})
	}
	return nil, fmt.Errorf("unknown step %q", step.Action)
}

func (s *demoSeeder) seedPlans(ctx context.Context) error {
	var districtPlanID int64
	for _, dp := range []demo.Plan{demo.DistrictPlan(), demo.WardPlan()} {
		author := s.units[dp.AuthorCode]
		areaID := s.areas[dp.TargetCode]
		p, err := campaigns.FindPlanOf(ctx, s.tx, areaID, author.ID, s.now)
		if err == nil {
			s.logf("plan of %s: already there (%s)", author.Name, domain.PlanStatusLabel(p.Status))
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		} else {
			in := dp.Plan
			in.TargetAreaID, in.UnitID = areaID, author.ID
			if dp.AuthorCode != demo.DistrictCode && districtPlanID != 0 {
				in.CopiedFromID = &districtPlanID
			}
			if p, err = campaigns.LoadPlan(ctx, s.tx, in, s.now); err != nil {
				return fmt.Errorf("plan of %s: %w", author.Name, err)
			}
			s.logf("plan of %s: created (%s, %d objectives, %d tasks)", author.Name, domain.PlanStatusLabel(p.Status), len(p.Objectives), len(p.Tasks))
			if err := s.record(ctx, "plan.load", "plan", p.ID, author, p); err != nil {
				return err
			}
		}
		if dp.AuthorCode == demo.DistrictCode {
			districtPlanID = p.ID
		}
	}
	return nil
}

func (s *demoSeeder) seedCommittees(ctx context.Context) error {
	for _, roster := range [][]demo.Member{demo.Committee(), demo.WardCommittee()} {
		unit := s.units[roster[0].UnitCode]
		have, err := campaigns.FindCommittee(ctx, s.tx, unit.ID)
		if err != nil {
			return err
		}
		if len(have) > 0 {
			s.logf("committee of %s: already there (%d members)", unit.Name, len(have))
			continue
		}
		for _, m := range roster {
			in := campaigns.CommitteeInput{FullName: m.Member.FullName, Position: m.Member.Position, JobTitle: m.Member.JobTitle,
				Agency: m.Member.Agency, Phone: m.Member.Phone, TargetAreaIDs: []int64{}}
			for _, code := range m.AssignedCodes {
				in.TargetAreaIDs = append(in.TargetAreaIDs, s.areas[code])
			}
			got, err := campaigns.CreateCommitteeMember(ctx, s.tx, unit.ID, in, s.now)
			if err != nil {
				return fmt.Errorf("committee of %s, %s: %w", unit.Name, m.Member.FullName, err)
			}
			if err := s.record(ctx, "committee.create", "committee_member", got.ID, unit, got); err != nil {
				return err
			}
		}
		s.logf("committee of %s: created (%d members)", unit.Name, len(roster))
	}
	return nil
}

func (s *demoSeeder) seedUsers(ctx context.Context) error {
	for _, du := range demoUsers {
		var unit *tenants.Unit
		where := "platform"
		if du.unitCode != "" {
			unit = s.units[du.unitCode]
			where = unit.Name
		}
		exists, err := s.tx.NewSelect().Model((*identity.User)(nil)).Where("username = ?", du.username).Exists(ctx)
		if err != nil {
			return err
		}
		if exists {
			s.logf("user %s (%s, %s): exists; password unchanged", du.username, du.role, where)
			continue
		}
		pw, err := randomPassword()
		if err != nil {
			return err
		}
		if _, err := s.ids.CreateUserTx(ctx, s.tx, identity.NewUser{Username: du.username, FullName: du.fullName, Roles: []string{du.role}, Password: pw}, unit); err != nil {
			return fmt.Errorf("user %s: %w", du.username, err)
		}
		s.logf("user %s (%s, %s): created", du.username, du.role, where)
		s.passwords = append(s.passwords, fmt.Sprintf("%-12s %-9s %s  password: %s", du.username, du.role, where, pw))
	}
	return nil
}

// randomPassword returns 20 characters from an alphabet without look-alikes.
func randomPassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}
