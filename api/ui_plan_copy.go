package api

import (
	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
)

// planCopy starts the caller's unit's draft plan from a plan it can read —
// a ward from its district's plan for the ward — and opens it to edit.
func (s *Server) planCopy(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.copyPlanCmd(c.Request().Context(), id)
	if err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			s.flash(c, "error", domain.ErrorMessage(err))
			return redirect(c, "/plans/"+itoa(id))
		}
		return err
	}
	s.flash(c, "ok", s.t(c, "plan.copied"))
	return redirect(c, "/plans/"+itoa(p.ID))
}
