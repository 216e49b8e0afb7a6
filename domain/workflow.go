package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Roles that perform workflow actions; they spell the same as the
// authorisation roles so a handler can pass the user's roles straight through.
const (
	RoleProvince = "province"
	RoleDistrict = "district"
	RoleWard     = "ward"
	RolePolice   = "police"
	RoleAdmin    = "admin"
)

// RoleLabel returns the Vietnamese name of a role as messages use it.
func RoleLabel(role string) string {
	switch role {
	case RoleProvince:
		return "cấp tỉnh"
	case RoleDistrict:
		return "cấp huyện"
	case RoleWard:
		return "cấp xã"
	case RolePolice:
		return "Công an"
	case RoleAdmin:
		return "quản trị hệ thống"
	case PlanActorAuthor:
		return "đơn vị soạn kế hoạch"
	case PlanActorReviewer:
		return "đơn vị cấp trên duyệt kế hoạch"
	}
	return role
}

// Objects a TransitionError can be about.
const (
	ObjectTargetArea = "target_area"
	ObjectPlan       = "plan"
)

// TransitionError explains why a workflow action was refused: the object is
// in the wrong state (ECONFLICT) or the actor may not perform the action at
// all (EFORBIDDEN). It unwraps to the *Error carrying the code and the
// Vietnamese message, so ErrorCode and ErrorMessage work on it.
type TransitionError struct {
	Object string `json:"object"`
	From   string `json:"from"`
	Action string `json:"action"`
	// AllowedFrom lists the states from which Action is possible (wrong state).
	AllowedFrom []string `json:"allowed_from,omitempty"`
	// Actors lists who may perform Action (wrong role).
	Actors []string `json:"actors,omitempty"`
	err    *Error
}

// Error implements the error interface.
func (e *TransitionError) Error() string { return e.err.Error() }

// Unwrap returns the coded *Error.
func (e *TransitionError) Unwrap() error { return e.err }

// Code returns ECONFLICT or EFORBIDDEN.
func (e *TransitionError) Code() string { return e.err.Code }

// transition is one row of a workflow table: from --action--> to, performed by one of actors.
type transition struct {
	from, action, to string
	actors           []string
}

// workflow is a state machine described by a table, with the words messages use.
type workflow struct {
	object  string
	noun    string // how a message names the object, e.g. "địa bàn trọng điểm"
	table   []transition
	states  map[string]string // state → label
	actions map[string]string // action → label
}

func (w *workflow) next(from, action string) (string, bool) {
	for _, t := range w.table {
		if t.from == from && t.action == action {
			return t.to, true
		}
	}
	return "", false
}

func (w *workflow) knownAction(action string) bool {
	_, ok := w.actions[action]
	return ok
}

// actorsOf returns who may perform action, in table order without duplicates.
func (w *workflow) actorsOf(action string) []string {
	var out []string
	for _, t := range w.table {
		if t.action != action {
			continue
		}
		for _, a := range t.actors {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

func (w *workflow) allowedFrom(action string) []string {
	var out []string
	for _, t := range w.table {
		if t.action == action && !slices.Contains(out, t.from) {
			out = append(out, t.from)
		}
	}
	return out
}

// available lists the actions possible from state for any of actors, in table order.
func (w *workflow) available(from string, actors []string) []string {
	var out []string
	for _, t := range w.table {
		if t.from != from || slices.Contains(out, t.action) {
			continue
		}
		if slices.ContainsFunc(actors, func(a string) bool { return slices.Contains(t.actors, a) }) {
			out = append(out, t.action)
		}
	}
	return out
}

// check returns the state after action, or why it is refused: EINVALID for
// an unknown action, EFORBIDDEN when none of actors may perform it at all,
// ECONFLICT when the object is in a state the action does not apply to.
func (w *workflow) check(from, action string, actors []string) (string, error) {
	if !w.knownAction(action) {
		return "", &Error{Code: EINVALID, Message: fmt.Sprintf("Thao tác “%s” không hợp lệ", truncate(action, 40)),
			Fields: map[string]string{"action": "Thao tác không hợp lệ"}}
	}
	who := w.actorsOf(action)
	if !slices.ContainsFunc(actors, func(a string) bool { return slices.Contains(who, a) }) {
		e := &TransitionError{Object: w.object, From: from, Action: action, Actors: who}
		e.err = &Error{Code: EFORBIDDEN, Detail: e, Message: fmt.Sprintf(
			"Chỉ %s mới được thực hiện thao tác “%s” đối với %s.", labelList(who, RoleLabel, "hoặc"), w.actions[action], w.noun)}
		return "", e
	}
	if to, ok := w.next(from, action); ok {
		return to, nil
	}
	allowed := w.allowedFrom(action)
	e := &TransitionError{Object: w.object, From: from, Action: action, AllowedFrom: allowed}
	e.err = &Error{Code: ECONFLICT, Detail: e, Message: fmt.Sprintf(
		"Không thể thực hiện thao tác “%s” vì %s đang ở trạng thái “%s”; thao tác này chỉ áp dụng khi %s ở trạng thái %s.",
		w.actions[action], w.noun, w.stateLabel(from), w.noun, labelList(allowed, w.quotedState, "hoặc"))}
	return "", e
}

func (w *workflow) stateLabel(s string) string {
	if l, ok := w.states[s]; ok {
		return l
	}
	return truncate(s, 40)
}

func (w *workflow) quotedState(s string) string { return "“" + w.stateLabel(s) + "”" }

// labelList joins labels as Vietnamese prose: "a", "a hoặc b", "a, b hoặc c".
func labelList(items []string, label func(string) string, conj string) string {
	ls := make([]string, len(items))
	for i, it := range items {
		ls[i] = label(it)
	}
	switch len(ls) {
	case 0:
		return ""
	case 1:
		return ls[0]
	}
	return strings.Join(ls[:len(ls)-1], ", ") + " " + conj + " " + ls[len(ls)-1]
}
