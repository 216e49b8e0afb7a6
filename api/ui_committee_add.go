package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/store/campaigns"
)

// committeeAdd adds a member to a unit's committee; the service keeps one
// head and one standing deputy head and the assignments inside the unit.
func (s *Server) committeeAdd(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	val := map[string]string{}
	for _, k := range []string{"full_name", "position", "job_title", "agency", "phone"} {
		val[k] = strings.TrimSpace(form.Get(k))
	}
	in := campaigns.CommitteeInput{FullName: val["full_name"], Position: val["position"], JobTitle: val["job_title"], Agency: val["agency"], Phone: val["phone"]}
	for _, a := range form["target_area_ids"] {
		if n, err := strconv.ParseInt(a, 10, 64); err == nil {
			in.TargetAreaIDs = append(in.TargetAreaIDs, n)
		}
	}
	m, err := s.createMemberCmd(c.Request().Context(), id, in)
	if err != nil {
		fields, summary, ferr := s.formMsgs(c, err)
		if ferr != nil {
			return ferr
		}
		labels := map[string]string{}
		for _, k := range []string{"full_name", "position", "job_title", "agency", "phone"} {
			labels[k] = s.t(c, "committee."+k)
		}
		errs := s.fieldMessages(c, fields, labels)
		return s.renderCommittee(c, http.StatusBadRequest, committeeForm{values: val, areas: form["target_area_ids"], errs: errs, summary: summary})
	}
	s.flash(c, "ok", s.t(c, "committee.added", "name", m.FullName))
	return redirect(c, "/units/"+itoa(id)+"/committee")
}
