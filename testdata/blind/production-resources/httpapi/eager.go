package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"example.com/blinde/obs"
)

// Settings is the API's file configuration.
type Settings struct {
	Upstream string        `json:"upstream"`
	Timeout  time.Duration `json:"timeout"`
}

// ---- defer-eager-evaluation: positives ----

// UpdateUser serves PUT /users/{id}.
func (a *API) UpdateUser(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer a.metrics.ObserveDuration("update_user", start, time.Now()) // HAZ defer-eager-evaluation
	var u User
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	u.ID = r.PathValue("id")
	if err := a.store.Update(r.Context(), u); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// warmCache loads the first pages of users to warm the store cache.
func (a *API) warmCache(ctx context.Context, pages int) error {
	start := time.Now()
	defer a.logger.Printf("cache warm-up finished after %s", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for p := range pages {
		if _, err := a.store.List(ctx, (p+1)*100); err != nil {
			return fmt.Errorf("warm page %d: %w", p, err)
		}
	}
	return nil
}

// renameUser changes a user's display name.
func (a *API) renameUser(ctx context.Context, id, name string) error {
	span := obs.StartSpan("rename_user")
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation
	span.SetAttr("user", id)
	u, err := a.store.Get(ctx, id)
	if err != nil {
		return err
	}
	u.Name = name
	err = a.store.Update(ctx, u)
	return err
}

// DeleteUser serves DELETE /users/{id} and audits the outcome.
func (a *API) DeleteUser(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := a.authorize(r)
	defer a.audit.Record("delete_user", id, err) // HAZ defer-eager-evaluation
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if err = a.store.Delete(r.Context(), id); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// loadSettings reads the primary settings file, falling back when it is empty.
func loadSettings(primary, fallback string) (Settings, error) {
	var s Settings
	f, err := os.Open(primary)
	if err != nil {
		return s, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	info, err := f.Stat()
	if err != nil {
		return s, err
	}
	if info.Size() == 0 {
		f, err = os.Open(fallback)
		if err != nil {
			return s, fmt.Errorf("primary empty, fallback: %w", err)
		}
	}
	err = json.NewDecoder(f).Decode(&s)
	return s, err
}

// Signup creates a user and sends the welcome mail, undoing the insert if the mail fails.
func (a *API) Signup(ctx context.Context, u User) error {
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	if err := a.store.Insert(ctx, u); err != nil {
		return fmt.Errorf("signup %s: %w", u.Email, err)
	}
	undo = func() {
		if err := a.store.Delete(ctx, u.ID); err != nil {
			a.logger.Printf("signup %s: undo insert: %v", u.Email, err)
		}
	}
	if err := a.sendWelcome(ctx, u); err != nil {
		return fmt.Errorf("signup %s: welcome: %w", u.Email, err)
	}
	undo = func() {}
	return nil
}

// ---- defer-eager-evaluation: negatives ----

// UpdateUserObserved passes the start time; observe computes the duration at exit.
func (a *API) UpdateUserObserved(w http.ResponseWriter, r *http.Request) {
	defer observe(a.metrics, "update_user", time.Now()) // ok: start parameter
	var u User
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := a.store.Update(r.Context(), u); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// warmCacheTimed measures in a closure.
func (a *API) warmCacheTimed(ctx context.Context, pages int) error {
	start := time.Now()
	defer func() {
		a.logger.Printf("cache warm-up finished after %s", time.Since(start)) // ok: evaluated at exit
	}()
	for p := range pages {
		if _, err := a.store.List(ctx, (p+1)*100); err != nil {
			return err
		}
	}
	return nil
}

// renameUserSpan finishes the span with the final named error.
func (a *API) renameUserSpan(ctx context.Context, id, name string) (err error) {
	span := obs.StartSpan("rename_user")
	defer func() { span.Finish(err) }() // ok: closure reads err at exit
	u, err := a.store.Get(ctx, id)
	if err != nil {
		return err
	}
	u.Name = name
	return a.store.Update(ctx, u)
}

// runWorker processes jobs; the id in the deferred log never changes.
func (a *API) runWorker(ctx context.Context, id int, jobs <-chan string) {
	defer a.logger.Printf("worker %d stopped", id) // ok: deliberate snapshot, id is not reassigned
	for {
		select {
		case <-ctx.Done():
			return
		case userID, ok := <-jobs:
			if !ok {
				return
			}
			if _, err := a.getUserBounded(ctx, userID); err != nil {
				a.logger.Printf("worker %d: %s: %v", id, userID, err)
			}
		}
	}
}

// logResult logs the outcome stored in *errp at exit time.
func (a *API) logResult(op string, errp *error) {
	if *errp != nil {
		a.logger.Printf("%s failed: %v", op, *errp)
		return
	}
	a.logger.Printf("%s ok", op)
}

// DeleteUserLogged passes a pointer to err, read when the deferred call runs.
func (a *API) DeleteUserLogged(ctx context.Context, id string) (err error) {
	defer a.logResult("delete_user "+id, &err) // ok: pointer
	if _, err = a.store.Get(ctx, id); err != nil {
		return err
	}
	err = a.store.Delete(ctx, id)
	return err
}

// loadSettingsFallback picks the file before deferring its close.
func loadSettingsFallback(primary, fallback string) (Settings, error) {
	var s Settings
	path := primary
	if info, err := os.Stat(primary); err != nil || info.Size() == 0 {
		path = fallback
	}
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close() // ok: f is not reassigned afterwards
	err = json.NewDecoder(f).Decode(&s)
	return s, err
}

// mergeSettings reads two files, each with its own variable and defer.
func mergeSettings(base, overlay string) (Settings, error) {
	var s Settings
	bf, err := os.Open(base)
	if err != nil {
		return s, err
	}
	defer bf.Close() // ok
	if err := json.NewDecoder(bf).Decode(&s); err != nil {
		return s, err
	}
	of, err := os.Open(overlay)
	if err != nil {
		return s, err
	}
	defer of.Close() // ok: a different variable
	err = json.NewDecoder(of).Decode(&s)
	return s, err
}

// touchUser updates a user; err changes after the defer but the deferred call does not take it.
func (a *API) touchUser(ctx context.Context, id string) error {
	span := obs.StartSpan("touch_user")
	defer span.End() // ok: no argument depends on later assignments
	u, err := a.store.Get(ctx, id)
	if err != nil {
		return err
	}
	err = a.store.Update(ctx, u)
	if err != nil {
		span.SetAttr("error", err.Error())
	}
	return err
}
