package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/blinde/obs"
)

// ---- defer-func-result-not-called: positives ----

// ListUsers serves GET /users.
func (a *API) ListUsers(w http.ResponseWriter, r *http.Request) {
	defer obs.Trace("ListUsers") // HAZ defer-func-result-not-called
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {
		limit = 100
	}
	users, err := a.store.List(r.Context(), limit)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, users)
}

// CreateUser serves POST /users.
func (a *API) CreateUser(w http.ResponseWriter, r *http.Request) {
	defer a.metrics.Timer("create_user") // HAZ defer-func-result-not-called
	var u User
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		http.Error(w, "bad json: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := a.store.Insert(r.Context(), u); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// GetUser serves GET /users/{id}.
func (a *API) GetUser(w http.ResponseWriter, r *http.Request) {
	defer measure(a.latency, RouteGetUser) // HAZ defer-func-result-not-called
	u, err := a.store.Get(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, "no such user", http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		writeJSON(w, http.StatusOK, u)
	}
}

// ImportUsers inserts a batch of users, logging each stage.
func (a *API) ImportUsers(ctx context.Context, users []User) (int, error) {
	stage := func(name string) func() {
		start := time.Now()
		a.logger.Printf("import: %s started (%d users)", name, len(users))
		return func() { a.logger.Printf("import: %s finished in %s", name, time.Since(start)) }
	}
	defer stage("import") // HAZ defer-func-result-not-called
	n := 0
	for _, u := range users {
		if u.Email == "" {
			continue
		}
		if err := a.store.Insert(ctx, u); err != nil {
			return n, fmt.Errorf("import %s: %w", u.ID, err)
		}
		n++
	}
	return n, nil
}

// searchUsers filters the first page of users by name.
func (a *API) searchUsers(ctx context.Context, q string) ([]User, error) {
	defer a.tracer.Start("store.search") // HAZ defer-func-result-not-called
	users, err := a.store.List(ctx, 1000)
	if err != nil {
		return nil, err
	}
	out := users[:0]
	for _, u := range users {
		if u.Name == q || u.Email == q {
			out = append(out, u)
		}
	}
	return out, nil
}

// PurgeUsers deletes the given users.
func (a *API) PurgeUsers(ctx context.Context, ids []string) error {
	defer stopwatch("purge") // HAZ defer-func-result-not-called
	var errs []error
	for _, id := range ids {
		if err := a.store.Delete(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// renderUser writes one user, timing the render section.
func (a *API) renderUser(w http.ResponseWriter, rl reqLogger, u User) {
	defer rl.section("render") // HAZ defer-func-result-not-called
	if u.Name == "" {
		u.Name = u.Email
	}
	writeJSON(w, http.StatusOK, u)
}

// ---- defer-func-result-not-called: negatives ----

// ListUsersTraced calls the returned func at exit.
func (a *API) ListUsersTraced(w http.ResponseWriter, r *http.Request) {
	defer obs.Trace("ListUsers")() // ok: f()() idiom
	users, err := a.store.List(r.Context(), 100)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, users)
}

// CreateUserTimed times the handler properly.
func (a *API) CreateUserTimed(w http.ResponseWriter, r *http.Request) {
	defer a.metrics.Timer("create_user")()      // ok
	defer measure(a.latency, RouteCreateUser)() // ok
	var u User
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := a.store.Insert(r.Context(), u); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

// searchUsersSpan stores the end func and defers it.
func (a *API) searchUsersSpan(ctx context.Context, q string) ([]User, error) {
	end := a.tracer.Start("store.search")
	defer end() // ok
	users, err := a.store.List(ctx, 1000)
	if err != nil {
		return nil, err
	}
	var out []User
	for _, u := range users {
		if u.Name == q {
			out = append(out, u)
		}
	}
	return out, nil
}

// getUserBounded bounds the store call with a timeout.
func (a *API) getUserBounded(ctx context.Context, id string) (User, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel() // ok: cancel returns nothing
	return a.store.Get(ctx, id)
}

// startCapture starts a request capture when enabled.
func (a *API) startCapture(path string) (func(), error) {
	f, err := os.CreateTemp("", "capture-*.log")
	if err != nil {
		return nil, err
	}
	a.logger.Printf("capturing %s into %s", path, f.Name())
	return func() {
		if err := f.Close(); err != nil {
			a.logger.Printf("capture %s: %v", f.Name(), err)
		}
	}, nil
}

// DebugUser serves a user while capturing the request.
func (a *API) DebugUser(w http.ResponseWriter, r *http.Request) {
	stop, err := a.startCapture(r.URL.Path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer stop() // ok: the func value itself is deferred and called
	u, err := a.store.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// countedGet tracks in-flight store calls; Add returns an int64, not a func.
func (a *API) countedGet(ctx context.Context, id string) (User, error) {
	a.inflight.Add(1)
	defer a.inflight.Add(-1) // ok: result is a number
	return a.store.Get(ctx, id)
}

// renderUserTimed calls the section end func.
func (a *API) renderUserTimed(w http.ResponseWriter, rl reqLogger, u User) {
	done := rl.section("render")
	defer done() // ok
	writeJSON(w, http.StatusOK, u)
}
