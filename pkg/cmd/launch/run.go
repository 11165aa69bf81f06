package launch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hangarhq/hangar/launch"
	"github.com/hangarhq/hangar/pkg/api"
	"github.com/hangarhq/hangar/pkg/cmdutil"
	"github.com/hangarhq/hangar/toml"
)

func runLaunch(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Input.Base, err = existingConfig(opts); err != nil {
		return err
	}
	plan, err := makePlan(ctx, opts, c)
	if err != nil {
		return err
	}
	cfg := plan.Config()
	if err := checkConfig(cfg); err != nil {
		return err
	}
	resp, err := createWithConfig(ctx, opts, c, plan, cfg)
	if err != nil {
		return err
	}
	report(opts, resp, cfg)
	if h, err := c.Health(ctx); err == nil && h.FlycastMode == "loopback" {
		opts.say("This host does not route Flycast addresses (the agent is not root): once deployed, reach the app with\n"+
			"      hangar proxy 8080:80 -a %s   (then http://localhost:8080/)", resp.App.Name)
	}
	if opts.NoDeploy {
		opts.say("Your app is ready! Deploy with `hangar deploy`")
		return nil
	}
	return opts.Deploy(ctx, resp.App.Name, filepath.Join(opts.Input.Dir, cmdutil.ConfigFileName))
}

// existingConfig refuses to overwrite fly.toml unless told to copy it (--copy-config or a Yes).
func existingConfig(opts *Options) (*toml.Config, error) {
	path := filepath.Join(opts.Input.Dir, cmdutil.ConfigFileName)
	cfg, err := toml.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	opts.say("An existing fly.toml file was found for app %s", cfg.App)
	if opts.CopyConfig {
		return cfg, nil
	}
	refuse := fmt.Errorf("%s already exists and hangar will not overwrite it: pass --copy-config to launch a new app from it, or remove it", path)
	if !opts.interactive() {
		return nil, refuse
	}
	ok, err := opts.Prompter.Confirm("Would you like to copy its configuration to the new app?", true)
	if err != nil || !ok {
		return nil, errors.Join(err, refuse)
	}
	return cfg, nil
}

// makePlan derives the plan, asks for what is missing at a terminal, and offers the tweak.
func makePlan(ctx context.Context, opts *Options, c Client) (launch.Plan, error) {
	if opts.Input.Image != "" {
		opts.say("Using image %s", opts.Input.Image)
	}
	opts.say("Creating app in %s", opts.Input.Dir)
	plan, err := launch.NewPlan(opts.Input)
	available := func(name string) error { return nameAvailable(ctx, c, name) }
	if opts.interactive() && err == nil {
		err = plan.AskMissing(opts.Prompter, orgSlugs(ctx, c), available)
	}
	if err == nil {
		err = available(plan.Name.V)
	}
	if err != nil {
		return plan, err
	}
	opts.say("We're about to launch your app on Hangar. Here's what you're getting:\n\n%s", plan.Summary())
	if !opts.interactive() {
		return plan, nil
	}
	tweak, err := opts.Prompter.Confirm(launch.TweakQuestion, false)
	if err == nil && tweak {
		err = errors.Join(plan.Tweak(opts.Prompter), available(plan.Name.V))
	}
	return plan, err
}

// nameAvailable fails when an app of that name exists; CreateApp still decides races.
func nameAvailable(ctx context.Context, c Client, name string) error {
	_, err := c.GetApp(ctx, name)
	var apiErr *api.Error
	if errors.As(err, &apiErr) && apiErr.Code == "app_not_found" {
		return nil
	}
	if err == nil {
		return takenError(name)
	}
	return err
}

func orgSlugs(ctx context.Context, c Client) []string {
	orgs, _ := c.ListOrgs(ctx)
	var slugs []string
	for _, o := range orgs {
		slugs = append(slugs, o.Slug)
	}
	return slugs
}

// checkConfig refuses a fly.toml that would not validate.
func checkConfig(cfg *toml.Config) error {
	var errs []error
	for _, p := range cfg.Validate() {
		if !p.Warning {
			errs = append(errs, errors.New(p.String()))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("the new fly.toml would not be valid: %w", errors.Join(errs...))
	}
	return nil
}

func report(opts *Options, resp api.CreateAppResponse, cfg *toml.Config) {
	opts.say("Created app '%s' in organization '%s'", resp.App.Name, resp.App.Organization.Slug)
	for _, ip := range resp.IPs {
		opts.say("Private ipv6: %s", ip.Address)
	}
	opts.say("Hostname: %s (private: reachable only inside organization %s, never from the internet)", resp.App.Hostname, resp.App.Organization.Slug)
	opts.say("Wrote config file %s", cmdutil.ConfigFileName)
	if launch.NeedsHTTPNote(cfg) {
		opts.say("NOTE: Flycast is plain HTTP inside your private network, but fly.toml has force_https = true (flyctl's default),\n" +
			"      which answers every plain HTTP request with a 301 to https. Set force_https = false in [http_service].")
	}
}

// createWithConfig makes fly.toml and the app appear together: the file is written aside,
// the app and its address are created in one agent transaction, then the file is linked
// into place (never over an existing fly.toml unless copying it); a failure undoes the other half.
func createWithConfig(ctx context.Context, opts *Options, c Client, plan launch.Plan, cfg *toml.Config) (api.CreateAppResponse, error) {
	final := filepath.Join(opts.Input.Dir, cmdutil.ConfigFileName)
	tmp, err := writeAside(final, cfg, opts)
	if err != nil {
		return api.CreateAppResponse{}, err
	}
	defer os.Remove(tmp)
	resp, err := c.CreateApp(ctx, api.CreateAppRequest{AppName: plan.Name.V, OrgSlug: plan.Org.V, PrivateIPv6: true})
	if err != nil {
		return resp, explainCreate(err, plan.Name.V)
	}
	if err := place(tmp, final, opts.CopyConfig || plan.Base != nil); err != nil {
		return resp, errors.Join(fmt.Errorf("writing %s: %w", final, err), c.DestroyApp(ctx, plan.Name.V))
	}
	return resp, nil
}

func writeAside(final string, cfg *toml.Config, opts *Options) (string, error) {
	data, err := cfg.MarshalWithHeader(opts.Now())
	if err != nil {
		return "", fmt.Errorf("writing fly.toml: %w", err)
	}
	tmp := fmt.Sprintf("%s.hangar-%d.tmp", final, os.Getpid())
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return "", fmt.Errorf("writing fly.toml: %w", err)
	}
	return tmp, nil
}

// place moves tmp to final; without overwrite it fails if final appeared meanwhile.
func place(tmp, final string, overwrite bool) error {
	if overwrite {
		return os.Rename(tmp, final)
	}
	return os.Link(tmp, final)
}

func explainCreate(err error, name string) error {
	var apiErr *api.Error
	if errors.As(err, &apiErr) && apiErr.Code == "app_exists" {
		return takenError(name)
	}
	return err
}

func takenError(name string) error {
	return fmt.Errorf("app name %s is already taken: choose another with --name, or remove the old app with hangar apps destroy %s", name, name)
}
