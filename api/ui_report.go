package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/reports"
)

// badge is a status shown with colour, icon and text (never colour alone).
type badge struct {
	Kind, Icon, Label string
}

var statusIcons = map[string]string{
	domain.CriterionMet: "✓", domain.CriterionNotMet: "✗", domain.CriterionNotApplicable: "–", domain.CriterionMissing: "?",
}

func (s *Server) criterionBadge(c echo.Context, status string) badge {
	if status == "" {
		status = domain.CriterionMissing
	}
	return badge{Kind: status, Icon: statusIcons[status], Label: s.t(c, "criterion.status."+status)}
}

func (s *Server) reportBadge(c echo.Context, status string) badge {
	if status == "" {
		status = domain.CompareReportMissing
	}
	return badge{Kind: status, Label: s.t(c, "report.status."+status)}
}

func (s *Server) timelinessBadge(c echo.Context, t string) badge {
	if t == "" {
		return badge{}
	}
	return badge{Kind: t, Label: s.t(c, "timeliness."+t)}
}

func (s *Server) targetBadge(c echo.Context, status string) badge {
	return badge{Kind: status, Label: s.t(c, "target.status."+status)}
}

type reportView struct {
	web.Page
	Heading    string
	TA         *campaigns.TargetArea
	PeriodName string
	Due        domain.Date
	Status     badge
	Timeliness badge
	Revision   int
	ReportID   int64
	Version    int
	// IdemKey is a fresh idempotency key for the submit button: a repeated
	// POST of this rendering replays the first submission.
	IdemKey   string
	Action    string
	Editable  bool
	CanSubmit bool
	Locked    bool
	Returned  bool
	// ReturnReason is the district's reason on the last return.
	ReturnReason string
	Error        string
	Groups       []reportGroup
	Criteria     []criterionRow
	MetCount     int
	Events       []eventRow
	Review       *reviewPanel
	Assess       *assessPanel
}

type reportGroup struct {
	Number int
	Code   string
	Name   string
	Fields []reportField
}

type reportField struct {
	Code, Label, Unit, Hint, Type string
	// Value is what the input holds: the typed text after a refused save.
	Value string
	// Display is the stored value as a reader sees it (1.234, Có, —).
	Display     string
	Editable    bool
	ReadonlyWhy string
	Error       string
	Remark      string
	Changed     bool
	Old         string
	RemarkInput bool
	RemarkValue string
}

type criterionRow struct {
	Number int
	Name   string
	Badge  badge
	Reason string
}

type eventRow struct {
	At       time.Time
	Action   string
	Revision int
	Comment  string
}

type reviewPanel struct {
	DiffFrom    int
	Diff        []diffRow
	Reason      string
	ReasonError string
}

type diffRow struct{ Code, Label, Old, New string }

type assessPanel struct {
	Current   string
	Met       string
	Note      string
	MetError  string
	NoteError string
}

// reportInput is what a refused form sends back: the typed values and the
// messages per indicator code.
type reportInput struct {
	values map[string]string
	errors domain.FieldErrors
	// summary is the message above the form.
	summary string
	review  *reviewPanel
	assess  *assessPanel
	remarks map[string]string
}

// reportPageData loads a report with what the page shows around it. The
// target area, the period and the report are read through the same
// scoped services as the JSON API: a target area outside the caller's
// scope is "not found".
type reportPageData struct {
	ta       *campaigns.TargetArea
	cal      *reports.Calendar
	cat      *reports.Catalogue
	period   domain.Period
	report   *reports.Report
	eval     *reports.Evaluation
	events   []*reports.Event
	revision []*reports.Revision
}

func (s *Server) loadReportPage(ctx context.Context, taID int64, periodCode string) (*reportPageData, error) {
	ta, err := campaigns.FindTargetAreaByID(ctx, s.opts.DB, taID)
	if err != nil {
		return nil, err
	}
	store := s.reportStore()
	d := &reportPageData{ta: ta}
	if d.report, err = store.ReportByPeriod(ctx, taID, periodCode); err != nil {
		return nil, err
	}
	if d.cal, err = store.FindCalendar(ctx, ta.CampaignID); err != nil {
		return nil, err
	}
	for _, p := range append(slices.Clone(d.cal.Periods), d.cal.Monthly...) {
		if p.Code == periodCode {
			d.period = p
		}
	}
	if d.cat, err = store.FindCatalogue(ctx, ta.CampaignID); err != nil {
		return nil, err
	}
	if ev, err := store.FindEvaluation(ctx, taID, periodCode); err == nil {
		d.eval = ev
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, err
	}
	if d.report.ID != 0 {
		if d.events, err = store.FindEvents(ctx, d.report.ID); err != nil {
			return nil, err
		}
		if d.revision, err = store.FindRevisions(ctx, d.report.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// indicatorLabel names an indicator in the user's language.
func (s *Server) indicatorLabel(c echo.Context, ind domain.Indicator) string {
	if s.lang(c) == web.LangEN && ind.LabelEN != "" {
		return ind.LabelEN
	}
	return ind.Label
}

// formatValue shows a stored value as a reader expects it.
func (s *Server) formatValue(c echo.Context, v domain.Value) string {
	switch v.Kind() {
	case domain.IndicatorCount:
		n, _ := v.Count()
		return web.FormatInt(s.lang(c), n)
	case domain.IndicatorBool:
		if b, _ := v.Bool(); b {
			return s.t(c, "report.value.yes")
		}
		return s.t(c, "report.value.no")
	case domain.IndicatorAssessment:
		a, _ := v.Assessment()
		out := s.t(c, "review.assess.no")
		if a.Met {
			out = s.t(c, "review.assess.yes")
		}
		if a.Note != "" {
			out += ": " + a.Note
		}
		return out
	}
	return s.t(c, "report.value.empty")
}

// inputValue is the stored value as the form's input holds it.
func inputValue(v domain.Value) string {
	switch v.Kind() {
	case domain.IndicatorCount:
		n, _ := v.Count()
		return strconv.FormatInt(n, 10)
	case domain.IndicatorBool:
		b, _ := v.Bool()
		return strconv.FormatBool(b)
	}
	return ""
}

// canEnter reports whether the user may enter the indicator in the form.
func canEnter(u *identity.User, ind domain.Indicator) bool {
	if ind.Type == domain.IndicatorAssessment {
		return false // the district assesses in its review panel
	}
	return slices.ContainsFunc(u.Roles, ind.EnterableBy)
}

func (s *Server) readonlyWhy(c echo.Context, ind domain.Indicator) string {
	switch {
	case slices.Equal(ind.EnteredBy, []string{domain.EnteredByPolice}):
		return s.t(c, "report.readonly.police")
	case slices.Equal(ind.EnteredBy, []string{domain.EnteredByDistrict}):
		return s.t(c, "report.readonly.district")
	case slices.Contains(ind.EnteredBy, domain.EnteredByWard):
		return s.t(c, "report.readonly.ward")
	}
	return s.t(c, "report.readonly.other")
}

// renderReport builds the report page: the form grouped as the official
// report, the review and assessment panels for the district, the seven
// criteria with their reasons and the history.
func (s *Server) renderReport(c echo.Context, status int, d *reportPageData, in *reportInput) error {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	can := func(p string) bool { return s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), p) }
	r := d.report
	if in == nil {
		in = &reportInput{}
	}
	periodName := d.period.Name
	if periodName == "" {
		periodName = r.Period
	}
	v := reportView{Page: s.page(c), TA: d.ta, PeriodName: periodName, Due: d.period.Due,
		Heading: s.t(c, "report.title", "period", periodName, "unit", d.ta.UnitName),
		Status:  s.reportBadge(c, r.Status), Timeliness: s.timelinessBadge(c, r.Timeliness),
		Revision: r.SubmittedRevision, ReportID: r.ID, Version: r.Version, Error: in.summary,
		Action: "/target-areas/" + itoa(d.ta.ID) + "/reports/" + r.Period, IdemKey: newFormKey()}
	if r.ID == 0 {
		v.Status = s.reportBadge(c, domain.CompareReportMissing)
	}
	v.Editable = can("report:write") && domain.ReportEditable(r.Status)
	v.CanSubmit = v.Editable && can("report:submit")
	v.Locked = !domain.ReportEditable(r.Status)
	v.Returned = r.Status == domain.ReportReturned
	v.ReturnReason = r.ReviewComment
	// The unit directly above the ward reviews: its district, or the
	// province for a ward directly under it (two-tier).
	parent := d.ta.DirectlyUnder(u.HomeUnitID())
	reviewing := can("report:review") && parent && r.Status == domain.ReportSubmitted
	// The diff of the submitted revision against the one before it.
	changed := map[string]domain.ValueChange{}
	if reviewing {
		v.Review = &reviewPanel{}
		if in.review != nil {
			v.Review = in.review
		}
		if r.SubmittedRevision > 1 {
			v.Review.DiffFrom = r.SubmittedRevision - 1
			diff, err := s.reportStore().DiffRevisions(ctx, r.ID, r.SubmittedRevision-1, r.SubmittedRevision)
			if err != nil {
				return err
			}
			for _, ch := range diff.Changes {
				changed[ch.Code] = ch
			}
		}
	}
	if can("report:assess") && parent && (r.Status == domain.ReportSubmitted || r.Status == domain.ReportAccepted) {
		v.Assess = &assessPanel{}
		if in.assess != nil {
			v.Assess = in.assess
		} else if r.Assessment != nil {
			v.Assess.Met = strconv.FormatBool(r.Assessment.Met)
			v.Assess.Note = r.Assessment.Note
		}
		if r.Assessment != nil {
			v.Assess.Current = s.formatValue(c, domain.AssessmentValue(*r.Assessment))
		}
	}
	lang := s.lang(c)
	groups := d.cat.Groups
	if len(groups) == 0 {
		groups = domain.DefaultIndicatorGroups()
	}
	byGroup := map[string][]domain.Indicator{}
	for _, ci := range d.cat.Indicators {
		byGroup[ci.Group] = append(byGroup[ci.Group], ci.Indicator)
	}
	n := 0
	for _, g := range groups {
		inds := byGroup[g.Code]
		if len(inds) == 0 {
			continue
		}
		n++
		rg := reportGroup{Number: n, Code: g.Code, Name: g.Name}
		if lang == web.LangEN && g.NameEN != "" {
			rg.Name = g.NameEN
		}
		for _, ind := range inds {
			val := r.Values[ind.Code]
			if ind.Code == domain.IndPoliticalSystem && r.Assessment != nil && val.IsNull() {
				val = domain.AssessmentValue(*r.Assessment)
			}
			label := s.indicatorLabel(c, ind)
			f := reportField{Code: ind.Code, Label: label, Unit: ind.Unit, Hint: ind.Hint, Type: ind.Type,
				Display: s.formatValue(c, val), Value: inputValue(val), Error: s.fieldMessage(c, label, in.errors[ind.Code]), Remark: r.FieldComments[ind.Code]}
			f.Editable = v.Editable && canEnter(u, ind)
			if !f.Editable {
				f.ReadonlyWhy = s.readonlyWhy(c, ind)
			}
			if typed, ok := in.values[ind.Code]; ok {
				f.Value = typed
			}
			if ch, ok := changed[ind.Code]; ok {
				f.Changed, f.Old = true, s.formatValue(c, ch.Old)
				v.Review.Diff = append(v.Review.Diff, diffRow{Code: ind.Code, Label: f.Label, Old: f.Old, New: s.formatValue(c, ch.New)})
			}
			if reviewing && ind.Type != domain.IndicatorAssessment {
				f.RemarkInput, f.RemarkValue = true, in.remarks[ind.Code]
			}
			rg.Fields = append(rg.Fields, f)
		}
		v.Groups = append(v.Groups, rg)
	}
	if d.eval != nil && d.eval.ReportID != nil {
		v.MetCount = d.eval.MetCount
		for _, cr := range d.eval.Result.Criteria {
			name := cr.Name
			if lang == web.LangEN && cr.NameEN != "" {
				name = cr.NameEN
			}
			v.Criteria = append(v.Criteria, criterionRow{Number: cr.Number, Name: name, Badge: s.criterionBadge(c, cr.Status), Reason: cr.Reason})
		}
	}
	for _, e := range d.events {
		v.Events = append(v.Events, eventRow{At: e.At, Action: s.t(c, "report.action."+e.Action), Revision: e.Revision, Comment: e.Comment})
	}
	return s.render(c, status, "report", v)
}

// reportShow shows the report of a target area for a period.
func (s *Server) reportShow(c echo.Context) error {
	taID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	period, err := periodParam(c)
	if err != nil {
		return err
	}
	d, err := s.loadReportPage(c.Request().Context(), taID, period)
	if err != nil {
		return err
	}
	return s.renderReport(c, http.StatusOK, d, nil)
}

// newFormKey is a random key for a form's idempotent submission.
func newFormKey() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return ""
	}
	return hex.EncodeToString(b[:])
}
