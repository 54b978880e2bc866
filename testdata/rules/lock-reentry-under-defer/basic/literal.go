package fixture

import "sync"

type apiClient struct {
	versionMu sync.Mutex
	version   string
	skipCheck bool
}

// do checks the server version first, except for the version request itself.
func (c *apiClient) do(path string) (string, error) {
	if path != "/version" && !c.skipCheck {
		if err := c.checkVersion(); err != nil {
			return "", err
		}
	}
	return "ok " + path, nil
}

// The request for the version passes "/version", which the guard in do skips: no reentry.
func (c *apiClient) checkVersion() error {
	c.versionMu.Lock()
	defer c.versionMu.Unlock()
	if c.version == "" {
		v, err := c.do("/version")
		if err != nil {
			return err
		}
		c.version = v
	}
	return nil
}

// Another path passes the guard and locks again.
func (c *apiClient) refresh() error {
	c.versionMu.Lock()
	defer c.versionMu.Unlock()
	_, err := c.do("/info") // want `c\.versionMu is locked on line 37 and held until apiClient\.refresh returns .*c\.do\("/info"\) on line 39 locks it again`
	return err
}

// A mode compared for equality: only "sync" takes the lock.
func (c *apiClient) apply(mode string) {
	if mode == "sync" {
		c.versionMu.Lock()
		c.version = ""
		c.versionMu.Unlock()
	}
}

func (c *apiClient) reset() {
	c.versionMu.Lock()
	defer c.versionMu.Unlock()
	c.apply("async")
}

func (c *apiClient) resetSync() {
	c.versionMu.Lock()
	defer c.versionMu.Unlock()
	c.apply("sync") // want `c\.versionMu is locked on line 59 and held until apiClient\.resetSync returns .*c\.apply\("sync"\) on line 61 locks it again`
}

type pool struct {
	mu      sync.Mutex
	servers map[string]bool
}

func (p *pool) deactivate(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.servers, name)
}

// The lock is held only for one error code, the call that locks again runs only for another:
// never both.
func (p *pool) onError(code, name string) {
	if code == "AuthorizationExpired" {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.servers[name] = false
	}
	if code == "DatabaseUnavailable" {
		p.deactivate(name)
	}
}

// Tests of two different values can both hold.
func (p *pool) onErrorBoth(code, kind, name string) {
	if code == "AuthorizationExpired" {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.servers[name] = false
	}
	if kind == "DatabaseUnavailable" {
		p.deactivate(name) // want `p\.mu is locked on line \d+ and held until pool\.onErrorBoth returns .*p\.deactivate\(name\) on line \d+ locks it again`
	}
}
