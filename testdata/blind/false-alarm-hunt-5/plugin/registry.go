package plugin

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// Plugin is a unit with a lifecycle.
type Plugin interface {
	Name() string
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Teardowner is implemented by plugins that release process-wide state.
type Teardowner interface {
	Teardown()
}

// Factory builds a plugin from its manifest config.
type Factory func(name string, cfg map[string]string) (Plugin, error)

var (
	regMu     sync.RWMutex
	factories = map[string]Factory{}
)

// Register makes a factory available; it panics on duplicates, which is a
// programming error at init time. The deferred unlock runs while the
// panic unwinds.
func Register(name string, f Factory) {
	regMu.Lock()
	defer regMu.Unlock()
	if f == nil {
		panic("plugin: Register with nil factory for " + name)
	}
	if _, dup := factories[name]; dup {
		panic(fmt.Sprintf("plugin: factory %q registered twice", name))
	}
	factories[name] = f
}

func lookupFactory(name string) (Factory, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	f, ok := factories[name]
	return f, ok
}

// Registered lists factory names.
func Registered() []string {
	regMu.RLock()
	names := make([]string, 0, len(factories))
	for n := range factories {
		names = append(names, n)
	}
	regMu.RUnlock()
	sort.Strings(names)
	return names
}
