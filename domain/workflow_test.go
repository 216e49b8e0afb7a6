package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"chuyenhoa/domain"
)

// targetTable is the lifecycle of issue 4, written out independently of the code.
var targetTable = map[[2]string]string{
	{domain.TargetNone, domain.TargetActPropose}:                 domain.TargetProposed,
	{domain.TargetProposed, domain.TargetActApprove}:             domain.TargetApproved,
	{domain.TargetProposed, domain.TargetActReject}:              domain.TargetRejected,
	{domain.TargetApproved, domain.TargetActStart}:               domain.TargetInProgress,
	{domain.TargetInProgress, domain.TargetActProposeExit}:       domain.TargetExitProposed,
	{domain.TargetInProgress, domain.TargetActCarryOver}:         domain.TargetCarriedOver,
	{domain.TargetExitProposed, domain.TargetActDecideExit}:      domain.TargetExited,
	{domain.TargetExitProposed, domain.TargetActDecideNotExited}: domain.TargetNotExited,
	{domain.TargetNotExited, domain.TargetActCarryOver}:          domain.TargetCarriedOver,
	{domain.TargetNone, domain.TargetActCarryIn}:                 domain.TargetApproved,
	{domain.TargetNone, domain.TargetActWatchRelapse}:            domain.TargetRelapseWatch,
}

// targetRoles: the ward's parent unit proposes an area and its exit — a
// district, or the province for a ward directly under it (two-tier); the
// store checks the unit.
var targetRoles = map[string][]string{
	domain.TargetActPropose:         {domain.RoleDistrict, domain.RoleProvince},
	domain.TargetActApprove:         {domain.RoleProvince},
	domain.TargetActReject:          {domain.RoleProvince},
	domain.TargetActStart:           {domain.RoleDistrict, domain.RoleProvince},
	domain.TargetActProposeExit:     {domain.RoleDistrict, domain.RoleProvince},
	domain.TargetActDecideExit:      {domain.RoleProvince},
	domain.TargetActDecideNotExited: {domain.RoleProvince},
	domain.TargetActCarryOver:       {domain.RoleProvince},
	domain.TargetActCarryIn:         {domain.RoleProvince},
	domain.TargetActWatchRelapse:    {domain.RoleProvince},
}

var allRoles = []string{domain.RoleProvince, domain.RoleDistrict, domain.RoleWard, domain.RolePolice, domain.RoleAdmin}

func TestTargetTransitionTable(t *testing.T) {
	states := append([]string{domain.TargetNone}, domain.TargetStatuses()...)
	for _, from := range states {
		refused := 0
		for _, action := range domain.TargetActions() {
			want, allowed := targetTable[[2]string{from, action}]
			got, ok := domain.TargetTransition(from, action)
			if ok != allowed || got != want {
				t.Errorf("TargetTransition(%q, %q) = %q, %v; want %q, %v", from, action, got, ok, want, allowed)
			}
			if !allowed {
				refused++
			}
		}
		if refused == 0 {
			t.Errorf("state %q refuses no action", from)
		}
		if domain.TargetStatusLabel(from) == from && from != "" {
			t.Errorf("state %q has no Vietnamese label", from)
		}
	}
	for _, action := range domain.TargetActions() {
		if got, want := domain.TargetActionRoles(action), targetRoles[action]; !slices.Equal(got, want) {
			t.Errorf("TargetActionRoles(%q) = %v, want %v", action, got, want)
		}
		if domain.TargetActionLabel(action) == "" {
			t.Errorf("action %q has no label", action)
		}
	}
	for _, s := range []string{domain.TargetRejected, domain.TargetExited, domain.TargetCarriedOver, domain.TargetRelapseWatch} {
		if !domain.TargetTerminal(s) {
			t.Errorf("TargetTerminal(%q) = false", s)
		}
	}
	for _, s := range []string{domain.TargetNone, domain.TargetProposed, domain.TargetInProgress, domain.TargetNotExited} {
		if domain.TargetTerminal(s) {
			t.Errorf("TargetTerminal(%q) = true", s)
		}
	}
}

// TestCheckTargetTransition runs every state × action × role and checks the
// verdict and the error code: the role is judged before the state.
func TestCheckTargetTransition(t *testing.T) {
	states := append([]string{domain.TargetNone}, domain.TargetStatuses()...)
	for _, from := range states {
		for _, action := range domain.TargetActions() {
			for _, role := range allRoles {
				to, err := domain.CheckTargetTransition(from, action, role)
				want, allowed := targetTable[[2]string{from, action}]
				roleOK := slices.Contains(targetRoles[action], role)
				switch {
				case !roleOK:
					if got := domain.ErrorCode(err); got != domain.EFORBIDDEN {
						t.Errorf("%s %s by %s: code %q, want forbidden", from, action, role, got)
					}
				case !allowed:
					if got := domain.ErrorCode(err); got != domain.ECONFLICT {
						t.Errorf("%s %s by %s: code %q, want conflict", from, action, role, got)
					}
				default:
					if err != nil || to != want {
						t.Errorf("%s %s by %s = %q, %v; want %q", from, action, role, to, err, want)
					}
				}
			}
		}
	}
}

func TestTargetTransitionMessages(t *testing.T) {
	t.Run("wrong state names both states", func(t *testing.T) {
		_, err := domain.CheckTargetTransition(domain.TargetInProgress, domain.TargetActApprove, domain.RoleProvince)
		var te *domain.TransitionError
		if !errors.As(err, &te) {
			t.Fatalf("err = %v, want *TransitionError", err)
		}
		if got, want := te.Code(), domain.ECONFLICT; got != want {
			t.Errorf("Code = %q, want %q", got, want)
		}
		if got, want := te.AllowedFrom, []string{domain.TargetProposed}; !slices.Equal(got, want) {
			t.Errorf("AllowedFrom = %v, want %v", got, want)
		}
		msg := domain.ErrorMessage(err)
		for _, s := range []string{"“Phê duyệt”", "“Đang thực hiện chuyển hóa”", "“Đã đề xuất”", "địa bàn trọng điểm"} {
			if !strings.Contains(msg, s) {
				t.Errorf("message %q lacks %q", msg, s)
			}
		}
	})
	t.Run("wrong role names who may", func(t *testing.T) {
		_, err := domain.CheckTargetTransition(domain.TargetProposed, domain.TargetActApprove, domain.RoleDistrict, domain.RoleWard)
		if got, want := domain.ErrorCode(err), domain.EFORBIDDEN; got != want {
			t.Fatalf("code %q, want %q", got, want)
		}
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, "Chỉ cấp tỉnh") {
			t.Errorf("message %q does not name the province", msg)
		}
	})
	t.Run("several allowed states", func(t *testing.T) {
		_, err := domain.CheckTargetTransition(domain.TargetExited, domain.TargetActCarryOver, domain.RoleProvince)
		msg := domain.ErrorMessage(err)
		if !strings.Contains(msg, "“Đang thực hiện chuyển hóa” hoặc “Chưa chuyển hóa thành công”") {
			t.Errorf("message %q does not list both states", msg)
		}
	})
	t.Run("unknown action", func(t *testing.T) {
		_, err := domain.CheckTargetTransition(domain.TargetProposed, "delete", domain.RoleProvince)
		if got := fieldsOf(t, err)["action"]; got == "" {
			t.Errorf("no message for action")
		}
	})
	t.Run("any of several roles", func(t *testing.T) {
		to, err := domain.CheckTargetTransition(domain.TargetProposed, domain.TargetActApprove, domain.RolePolice, domain.RoleProvince)
		if err != nil || to != domain.TargetApproved {
			t.Errorf("= %q, %v", to, err)
		}
	})
}

func TestTargetAvailableActions(t *testing.T) {
	for _, tt := range []struct {
		status string
		roles  []string
		want   []string
	}{
		{domain.TargetProposed, []string{domain.RoleProvince}, []string{domain.TargetActApprove, domain.TargetActReject}},
		{domain.TargetProposed, []string{domain.RoleDistrict}, nil},
		{domain.TargetInProgress, []string{domain.RoleDistrict}, []string{domain.TargetActProposeExit}},
		{domain.TargetInProgress, []string{domain.RoleProvince}, []string{domain.TargetActProposeExit, domain.TargetActCarryOver}},
		{domain.TargetInProgress, []string{domain.RoleWard, domain.RolePolice}, nil},
		{domain.TargetApproved, []string{domain.RoleDistrict, domain.RoleProvince}, []string{domain.TargetActStart}},
		{domain.TargetExited, allRoles, nil},
		{domain.TargetRelapseWatch, allRoles, nil},
		{domain.TargetNone, []string{domain.RoleProvince}, []string{domain.TargetActPropose, domain.TargetActCarryIn, domain.TargetActWatchRelapse}},
		{domain.TargetNone, []string{domain.RoleDistrict}, []string{domain.TargetActPropose}},
	} {
		if got := domain.TargetAvailableActions(tt.status, tt.roles...); !slices.Equal(got, tt.want) {
			t.Errorf("TargetAvailableActions(%q, %v) = %v, want %v", tt.status, tt.roles, got, tt.want)
		}
	}
}

var planTable = map[[2]string]string{
	{domain.PlanDraft, domain.PlanActSubmit}:      domain.PlanSubmitted,
	{domain.PlanReturned, domain.PlanActSubmit}:   domain.PlanSubmitted,
	{domain.PlanSubmitted, domain.PlanActReturn}:  domain.PlanReturned,
	{domain.PlanSubmitted, domain.PlanActApprove}: domain.PlanApproved,
}

var planActors = map[string]string{
	domain.PlanActSubmit:  domain.PlanActorAuthor,
	domain.PlanActReturn:  domain.PlanActorReviewer,
	domain.PlanActApprove: domain.PlanActorReviewer,
}

func TestPlanTransitionTable(t *testing.T) {
	actions := []string{domain.PlanActSubmit, domain.PlanActReturn, domain.PlanActApprove}
	for _, from := range domain.PlanStatuses() {
		refused := 0
		for _, action := range actions {
			want, allowed := planTable[[2]string{from, action}]
			got, ok := domain.PlanTransition(from, action)
			if ok != allowed || got != want {
				t.Errorf("PlanTransition(%q, %q) = %q, %v; want %q, %v", from, action, got, ok, want, allowed)
			}
			if !allowed {
				refused++
			}
			for _, actor := range []string{domain.PlanActorAuthor, domain.PlanActorReviewer, "stranger"} {
				to, err := domain.CheckPlanTransition(from, action, actor)
				switch {
				case actor != planActors[action]:
					if got := domain.ErrorCode(err); got != domain.EFORBIDDEN {
						t.Errorf("%s %s by %s: code %q, want forbidden", from, action, actor, got)
					}
				case !allowed:
					if got := domain.ErrorCode(err); got != domain.ECONFLICT {
						t.Errorf("%s %s by %s: code %q, want conflict", from, action, actor, got)
					}
				default:
					if err != nil || to != want {
						t.Errorf("%s %s by %s = %q, %v; want %q", from, action, actor, to, err, want)
					}
				}
			}
		}
		if refused == 0 {
			t.Errorf("state %q refuses no action", from)
		}
	}
	for _, action := range actions {
		if got := domain.PlanActionActors(action); !slices.Equal(got, []string{planActors[action]}) {
			t.Errorf("PlanActionActors(%q) = %v", action, got)
		}
	}
	_, err := domain.CheckPlanTransition(domain.PlanApproved, domain.PlanActSubmit, domain.PlanActorAuthor)
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "“Đã duyệt”") || !strings.Contains(msg, "“Bản nháp” hoặc “Bị trả lại”") {
		t.Errorf("message %q", msg)
	}
	_, err = domain.CheckPlanTransition(domain.PlanSubmitted, domain.PlanActApprove, domain.PlanActorAuthor)
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "đơn vị cấp trên duyệt kế hoạch") {
		t.Errorf("message %q", msg)
	}
	if got, want := domain.PlanAvailableActions(domain.PlanSubmitted, domain.PlanActorReviewer), []string{domain.PlanActReturn, domain.PlanActApprove}; !slices.Equal(got, want) {
		t.Errorf("PlanAvailableActions = %v, want %v", got, want)
	}
	for status, want := range map[string]bool{domain.PlanDraft: true, domain.PlanReturned: true, domain.PlanSubmitted: false, domain.PlanApproved: false} {
		if got := domain.PlanEditable(status); got != want {
			t.Errorf("PlanEditable(%q) = %v", status, got)
		}
	}
}
