package api

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/fah20/internal/web"
)

// ErrNotFound is returned for unknown IDs.
var ErrNotFound = errors.New("not found")

// User is an account.
type User struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Verified bool      `json:"verified"`
	Updated  time.Time `json:"updated"`
}

// UserStore is the in-memory user table.
type UserStore struct {
	mu   sync.RWMutex
	byID map[string]User
}

// NewUserStore returns an empty store.
func NewUserStore() *UserStore { return &UserStore{byID: make(map[string]User)} }

// Get returns the user with the given ID.
func (s *UserStore) Get(id string) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.byID[id]
	return u, ok
}

// Put inserts or replaces u.
func (s *UserStore) Put(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[u.ID] = u
}

// All returns every user sorted by ID.
func (s *UserStore) All() []User {
	s.mu.RLock()
	out := make([]User, 0, len(s.byID))
	for _, u := range s.byID {
		out = append(out, u)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Update applies fn to a copy of the user and stores the result if fn
// succeeds.
func (s *UserStore) Update(id string, fn func(*User) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byID[id]
	if !ok {
		return ErrNotFound
	}
	if err := fn(&u); err != nil {
		return err
	}
	u.Updated = time.Now()
	s.byID[id] = u
	return nil
}

// MarkVerified records that the user confirmed their email address.
func (s *UserStore) MarkVerified(id string) bool {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	u, ok := s.byID[id]
	if !ok {
		return false
	}
	u.Verified = true
	s.byID[id] = u
	return true
}

// Delete removes a user and reports whether it existed.
func (s *UserStore) Delete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.byID[id]
	delete(s.byID, id)
	return ok
}

type userPatch struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
}

func (p userPatch) apply(u *User) error {
	if p.Email != nil && !strings.Contains(*p.Email, "@") {
		return &web.HTTPError{Code: http.StatusUnprocessableEntity, Message: "email must contain @"}
	}
	if p.Name != nil {
		u.Name = *p.Name
	}
	if p.Email != nil {
		u.Email = *p.Email
	}
	return nil
}

// audit logs an administrative outcome.
func (a *API) audit(r *http.Request, action, target string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = err.Error()
	}
	a.logger.Printf("audit: user=%q action=%s target=%s outcome=%q", r.Header.Get("X-User"), action, target, outcome)
}

func statusOf(err error) int {
	var he *web.HTTPError
	switch {
	case errors.As(err, &he):
		return he.Code
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	default:
		return http.StatusInternalServerError
	}
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) {
	defer a.trace("listUsers")()
	_ = web.WriteJSON(w, http.StatusOK, a.users.All())
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) {
	defer a.trace("getUser") // HAZ defer-func-result-not-called
	u, ok := a.users.Get(r.PathValue("id"))
	if !ok {
		web.Error(w, http.StatusNotFound, "no such user")
		return
	}
	_ = web.WriteJSON(w, http.StatusOK, u)
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var err error
	defer a.audit(r, "user.update", id, err) // HAZ defer-eager-evaluation
	var patch userPatch
	if err = web.DecodeJSON(r, &patch, 1<<20); err != nil {
		web.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	if err = a.users.Update(id, patch.apply); err != nil {
		web.Error(w, statusOf(err), err.Error())
		return
	}
	u, _ := a.users.Get(id)
	_ = web.WriteJSON(w, http.StatusOK, u)
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var err error
	defer func() { a.audit(r, "user.delete", id, err) }()
	if !a.users.Delete(id) {
		err = ErrNotFound
		web.Error(w, http.StatusNotFound, "no such user")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
