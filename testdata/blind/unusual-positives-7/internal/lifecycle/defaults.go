package lifecycle

import (
	"log"
	"os"
	"sync"
)

var (
	defaultsMu   sync.Mutex
	defaultHooks Hooks
)

// init installs logging hooks when $UP7_TRACE_HOOKS is set.
func init() {
	defaultsMu.Lock() // HAZ lock-leaked-on-return
	if os.Getenv("UP7_TRACE_HOOKS") == "" {
		return
	}
	logger := log.New(os.Stderr, "hooks ", log.LstdFlags)
	defaultHooks = Hooks{
		OnStart: func(name string) { logger.Printf("start %s", name) },
		OnStop:  func(name string, err error) { logger.Printf("stop %s: %v", name, err) },
	}
	defaultsMu.Unlock()
}

// SetDefaultHooks replaces the hooks used by components that set none.
func SetDefaultHooks(h Hooks) {
	defaultsMu.Lock()
	defer defaultsMu.Unlock()
	defaultHooks = h
}

// DefaultHooks returns the current default hooks, never-nil.
func DefaultHooks() Hooks {
	defaultsMu.Lock()
	defer defaultsMu.Unlock()
	return defaultHooks.withDefaults()
}
