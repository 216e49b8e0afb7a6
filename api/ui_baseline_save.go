package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/reports"
)

// baselineSave enters or corrects the baseline of a target area through
// the report service, which re-evaluates every report of the area.
func (s *Server) baselineSave(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	val, errs := map[string]string{}, map[string]string{}
	for _, k := range []string{"incidents", "period_from", "period_to", "note"} {
		val[k] = strings.TrimSpace(c.FormValue(k))
	}
	in := reports.BaselineInput{Note: val["note"]}
	if v := formVersion(c); v != nil {
		in.Version = *v
	}
	if n := val["incidents"]; n != "" {
		if groupedDigits.MatchString(n) {
			n = strings.NewReplacer(".", "", " ", "").Replace(n)
		}
		if x, err := strconv.ParseInt(n, 10, 64); err == nil {
			in.Incidents = &x
		} else {
			errs["incidents"] = s.t(c, "form.bad_number")
		}
	}
	for k, dst := range map[string]*domain.Date{"period_from": &in.PeriodFrom, "period_to": &in.PeriodTo} {
		if val[k] == "" {
			continue
		}
		d, msg := s.formDate(c, val[k])
		if msg != "" {
			errs[k] = msg
			continue
		}
		*dst = d
	}
	if len(errs) > 0 {
		return s.renderBaseline(c, http.StatusBadRequest, baselineForm{values: val, errs: errs, summary: s.t(c, "form.invalid")})
	}
	b, err := s.reportStore().PutBaseline(c.Request().Context(), id, in)
	if err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		labels := map[string]string{}
		for _, k := range []string{"incidents", "period_from", "period_to", "note"} {
			labels[k] = s.t(c, "baseline."+k)
		}
		status := http.StatusBadRequest
		if domain.ErrorCode(err) == domain.ECONFLICT {
			status = http.StatusConflict
		}
		return s.renderBaseline(c, status, baselineForm{values: val, errs: s.fieldMessages(c, fields, labels), summary: summary})
	}
	s.bump(c, b.TenantID, b.CampaignID)
	s.flash(c, "ok", s.t(c, "baseline.saved"))
	return redirect(c, "/target-areas/"+itoa(id)+"/baseline")
}
