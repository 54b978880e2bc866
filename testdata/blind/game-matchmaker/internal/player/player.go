// Package player holds the player model shared by the queues, lobbies and
// session store.
package player

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Region is a datacenter region a player can be matched in.
type Region string

// Known regions.
const (
	EUWest  Region = "eu-west"
	USEast  Region = "us-east"
	USWest  Region = "us-west"
	APSouth Region = "ap-south"
)

// Regions lists every region the service runs queues for.
var Regions = []Region{EUWest, USEast, USWest, APSouth}

// ErrUnknownRegion is returned by ParseRegion for names outside Regions.
var ErrUnknownRegion = errors.New("unknown region")

// Band is a skill band: players are only matched inside one band.
type Band int

// Skill bands, lowest first.
const (
	Bronze Band = iota
	Silver
	Gold
	Platinum
	Diamond
)

var bandNames = [...]string{"bronze", "silver", "gold", "platinum", "diamond"}

// Player is a player waiting for, or playing in, a match.
type Player struct {
	ID       string
	Name     string
	Region   Region
	Rating   int
	PartyID  string
	JoinedAt time.Time
}

// ParseRegion turns a user supplied region name into a Region.
func ParseRegion(s string) (Region, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, r := range Regions {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownRegion, s)
}

// BandFor maps an Elo-like rating to its skill band.
func BandFor(rating int) Band {
	switch {
	case rating < 1000:
		return Bronze
	case rating < 1400:
		return Silver
	case rating < 1800:
		return Gold
	case rating < 2200:
		return Platinum
	default:
		return Diamond
	}
}

// String returns the lower-case band name.
func (b Band) String() string {
	if b < 0 || int(b) >= len(bandNames) {
		return fmt.Sprintf("band(%d)", int(b))
	}
	return bandNames[b]
}

// Band returns the player's skill band.
func (p *Player) Band() Band { return BandFor(p.Rating) }

// Waited reports how long the player has been queued at now.
func (p *Player) Waited(now time.Time) time.Duration {
	if p.JoinedAt.IsZero() {
		return 0
	}
	return now.Sub(p.JoinedAt)
}

// Validate checks the fields a client must supply before queueing.
func (p *Player) Validate() error {
	if p.ID == "" {
		return errors.New("player: empty id")
	}
	if p.Rating < 0 || p.Rating > 5000 {
		return fmt.Errorf("player %s: rating %d out of range", p.ID, p.Rating)
	}
	if _, err := ParseRegion(string(p.Region)); err != nil {
		return fmt.Errorf("player %s: %w", p.ID, err)
	}
	return nil
}
