package fixture

import "sync"

type signer struct{ name string }

// A client whose request path looks the account id up (under the lock) only when no key is given.
type acmeClient struct {
	mu  sync.Mutex
	key *signer
	id  string
}

func (c *acmeClient) accountID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id
}

func (c *acmeClient) postNoRetry(key *signer, url string) string {
	id := ""
	if key == nil {
		if c.key == nil {
			return ""
		}
		id = c.accountID()
	}
	return url + id
}

func (c *acmeClient) post(key *signer, url string) string {
	return c.postNoRetry(key, url)
}

func (c *acmeClient) options(o *signer) *signer {
	if o == nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.key
	}
	return o
}

// Passes a key: the branch that locks is for callers without one.
func (c *acmeClient) register() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.post(c.key, "/new-account")
}

// Passes nil: the branch that locks is taken.
func (c *acmeClient) lookup() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.post(nil, "/account") // want `c\.mu is locked on line \d+ and held until acmeClient\.lookup returns .* locks it again \(acmeClient\.lookup → acmeClient\.post → acmeClient\.postNoRetry → acmeClient\.accountID → c\.mu\.Lock\(\)`
}

func (c *acmeClient) defaults() *signer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.options(nil) // want `locks it again \(acmeClient\.defaults → acmeClient\.options → c\.mu\.Lock\(\)`
}

func (c *acmeClient) given(s *signer) *signer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.options(s)
}
