package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/reports"
)

// baselineView is the baseline of a target area: the offences and social
// evils counted in the period before transformation, which criterion 7
// compares each report with. The police of a unit above the area enter it.
type baselineView struct {
	web.Page
	TA          *campaigns.TargetArea
	Baseline    *reports.Baseline
	Editable    bool
	ReadonlyWhy string
	Fields      []web.Field
	Version     int
	Error       string
}

// baselineForm is what a refused baseline form sent back.
type baselineForm struct {
	values  map[string]string
	errs    map[string]string
	summary string
}

// baselineShow shows the baseline of a target area in the caller's scope.
func (s *Server) baselineShow(c echo.Context) error {
	return s.renderBaseline(c, http.StatusOK, baselineForm{})
}

func (s *Server) renderBaseline(c echo.Context, status int, in baselineForm) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	ta, err := campaigns.FindTargetAreaByID(ctx, s.opts.DB, id)
	if err != nil {
		return err
	}
	v := baselineView{Page: s.page(c), TA: ta, Error: in.summary}
	b, err := s.reportStore().FindBaseline(ctx, id)
	switch {
	case err == nil:
		v.Baseline, v.Version = b, b.Version
	case domain.ErrorCode(err) != domain.ENOTFOUND:
		return err
	}
	// Who may enter it is the report service's rule (the police of a unit
	// above the area); the page only avoids offering a form it would refuse.
	above := u.Unit != nil && u.Unit.ID != ta.UnitID && strings.HasPrefix(ta.UnitPath, u.Unit.Path)
	switch {
	case !s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "baseline:write"):
		v.ReadonlyWhy = s.t(c, "baseline.readonly.police")
	case !above:
		v.ReadonlyWhy = s.t(c, "baseline.readonly.level")
	default:
		v.Editable = true
	}
	if v.Editable {
		val := in.values
		if val == nil {
			val = map[string]string{}
			if b != nil {
				val["incidents"] = strconv.FormatInt(b.Incidents, 10)
				val["period_from"], val["period_to"], val["note"] = b.PeriodFrom.FormatVN(), b.PeriodTo.FormatVN(), b.Note
			}
		}
		v.Fields = []web.Field{
			{Name: "incidents", ID: "bl-incidents", Label: s.t(c, "baseline.incidents"), Hint: s.t(c, "baseline.incidents.hint"), Type: "number", Value: val["incidents"], Error: in.errs["incidents"], Required: true, Autocomplete: "off"},
			{Name: "period_from", ID: "bl-period_from", Label: s.t(c, "baseline.period_from"), Hint: s.t(c, "form.date.hint"), Value: val["period_from"], Error: in.errs["period_from"], Required: true, Autocomplete: "off"},
			{Name: "period_to", ID: "bl-period_to", Label: s.t(c, "baseline.period_to"), Hint: s.t(c, "form.date.hint"), Value: val["period_to"], Error: in.errs["period_to"], Required: true, Autocomplete: "off"},
			{Name: "note", ID: "bl-note", Label: s.t(c, "baseline.note"), Type: "textarea", Value: val["note"], Error: in.errs["note"]},
		}
	}
	return s.render(c, status, "baseline", v)
}
