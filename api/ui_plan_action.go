package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

// planActionSubmit answers the forms of the plan's workflow: the author
// submits a draft or returned plan, the unit above returns it with its
// comment or approves it.
func (s *Server) planActionSubmit(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		comment := strings.TrimSpace(c.FormValue("comment"))
		p, err := s.planActionCmd(c.Request().Context(), id, action, campaigns.PlanAction{Comment: comment, Version: formVersion(c)})
		if err != nil {
			fields, summary, ferr := s.formMsgs(c, err)
			if ferr != nil {
				return ferr
			}
			in := planForms{summary: summary}
			if action == domain.PlanActReturn {
				in.comment, in.commentErr = comment, fields["comment"]
			}
			return s.renderPlan(c, http.StatusBadRequest, in)
		}
		s.flash(c, "ok", s.t(c, "plan.done."+action, "unit", p.UnitName))
		return redirect(c, "/plans/"+itoa(id))
	}
}
