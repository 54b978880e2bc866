package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"example.com/edgehub/internal/device"
)

// Builtins registers the standard device ops backed by reg.
func Builtins(d *Dispatcher, reg *device.Registry) {
	d.Handle("set", func(ctx context.Context, c Command) (string, error) {
		dev, err := lookup(reg, c.Device)
		if err != nil {
			return "", err
		}
		keys := make([]string, 0, len(c.Args))
		for k, v := range c.Args {
			dev.SetProp(k, v)
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return "set " + strings.Join(keys, ","), nil
	})
	d.Handle("get", func(ctx context.Context, c Command) (string, error) {
		dev, err := lookup(reg, c.Device)
		if err != nil {
			return "", err
		}
		v, ok := dev.Prop(c.Args["key"])
		if !ok {
			return "", fmt.Errorf("device %s has no property %q", c.Device, c.Args["key"])
		}
		return v, nil
	})
	d.Handle("status", func(ctx context.Context, c Command) (string, error) {
		dev, err := lookup(reg, c.Device)
		if err != nil {
			return "", err
		}
		b, err := json.Marshal(dev.Snapshot())
		return string(b), err
	})
}

func lookup(reg *device.Registry, id string) (*device.Device, error) {
	dev, ok := reg.Get(id)
	if !ok {
		return nil, fmt.Errorf("dispatch: unknown device %q", id)
	}
	return dev, nil
}
