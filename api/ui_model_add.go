package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/store/campaigns"
)

// modelAdd adds a self-management model to a unit.
func (s *Server) modelAdd(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	val, errs := map[string]string{}, map[string]string{}
	for _, k := range []string{"name", "type", "established_on", "members_count", "effective", "notes"} {
		val[k] = strings.TrimSpace(c.FormValue(k))
	}
	in := campaigns.ModelInput{Name: val["name"], Type: val["type"], Effective: val["effective"] == "1", Notes: val["notes"]}
	if n := val["members_count"]; n != "" {
		if groupedDigits.MatchString(n) {
			n = strings.NewReplacer(".", "", " ", "").Replace(n)
		}
		if x, err := strconv.ParseInt(n, 10, 64); err == nil {
			in.MembersCount = x
		} else {
			errs["members_count"] = s.t(c, "form.bad_number")
		}
	}
	if d := val["established_on"]; d != "" {
		if parsed, msg := s.formDate(c, d); msg == "" {
			in.EstablishedOn = parsed
		} else {
			errs["established_on"] = msg
		}
	}
	if len(errs) > 0 {
		return s.renderModels(c, http.StatusBadRequest, modelForm{values: val, errs: errs, summary: s.t(c, "form.invalid")})
	}
	m, err := s.saveModelCmd(c.Request().Context(), id, 0, in)
	if err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		labels := map[string]string{}
		for _, k := range []string{"name", "type", "established_on", "members_count", "effective", "notes"} {
			labels[k] = s.t(c, "models."+k)
		}
		return s.renderModels(c, http.StatusBadRequest, modelForm{values: val, errs: s.fieldMessages(c, fields, labels), summary: summary})
	}
	s.flash(c, "ok", s.t(c, "models.added", "name", m.Name))
	return redirect(c, "/units/"+itoa(id)+"/models")
}
