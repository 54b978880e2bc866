package fixture

import "sync"

type params map[string]any

type rpcClient struct {
	tokenMu sync.Mutex
	token   string
	sent    []string
}

// call takes the token from the parameters when they carry one, and asks getToken otherwise.
func (c *rpcClient) call(fn string, p params) error {
	var token string
	if tok, ok := p["token"]; ok {
		token, _ = tok.(string)
	} else {
		t, err := c.getToken()
		if err != nil {
			return err
		}
		token = t
	}
	c.sent = append(c.sent, fn+":"+token)
	return nil
}

// getToken fetches a token with a call that names its own token: call never comes back to
// getToken on this way. No finding.
func (c *rpcClient) getToken() (string, error) {
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	if c.token != "" {
		return c.token, nil
	}
	if err := c.call("getToken", params{"token": "*", "auth": "secret"}); err != nil {
		return "", err
	}
	c.token = "fresh"
	return c.token, nil
}

// refresh holds the token lock and makes a call without a token: call asks getToken, which
// locks tokenMu again.
func (c *rpcClient) refresh() error {
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	c.token = ""
	return c.call("refresh", params{"auth": "secret"}) // want `c\.tokenMu is locked on line \d+ and held until rpcClient\.refresh returns`
}

type dirCache struct {
	mkdirMu sync.Mutex
	rootMu  sync.Mutex
	root    string
	dirs    map[string]bool
}

// findRoot creates the root only when asked to: with create false it returns before mkdir.
func (d *dirCache) findRoot(create bool) (string, bool) {
	d.rootMu.Lock()
	defer d.rootMu.Unlock()
	if d.root != "" {
		return d.root, true
	}
	if !create || len(d.dirs) > 0 {
		return "", false
	}
	d.root = d.mkdir("/")
	return d.root, true
}

func (d *dirCache) mkdir(path string) string {
	d.mkdirMu.Lock()
	defer d.mkdirMu.Unlock()
	d.dirs[path] = true
	return path
}

// Looking the root up without creating it under the mkdir lock: findRoot returns before mkdir. No finding.
func (d *dirCache) purge(path string) bool {
	d.mkdirMu.Lock()
	defer d.mkdirMu.Unlock()
	if _, ok := d.findRoot(false); !ok {
		return false
	}
	delete(d.dirs, path)
	return true
}

// With create true, findRoot goes on to mkdir, which locks mkdirMu again.
func (d *dirCache) ensure(path string) bool {
	d.mkdirMu.Lock()
	defer d.mkdirMu.Unlock()
	if _, ok := d.findRoot(true); !ok { // want `d\.mkdirMu is locked on line \d+ and held until dirCache\.ensure returns`
		return false
	}
	d.dirs[path] = true
	return true
}
