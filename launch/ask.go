package launch

import (
	"errors"
	"slices"
	"strconv"
)

// Prompter is the questions launch asks (pkg/prompt implements it with huh).
type Prompter interface {
	Input(title, def string, validate func(string) error) (string, error)
	Select(title string, options []string, def string) (string, error)
	Confirm(title string, def bool) (bool, error)
}

// TweakQuestion is flyctl's question, answered No by default.
const TweakQuestion = "Do you want to tweak these settings before proceeding?"

// AskMissing asks for what the flags left out: the app name (checked with available, so a
// taken name is refused at the prompt) and the organization.
func (p *Plan) AskMissing(pr Prompter, orgs []string, available func(string) error) error {
	if p.Name.Source != SourceFlag {
		valid := func(s string) error { return errors.Join(ValidateAppName(s), available(s)) }
		name, err := pr.Input("Choose an app name (it becomes <name>.flycast)", p.Name.V, valid)
		if err != nil {
			return err
		}
		p.Name = Value[string]{name, SourcePrompt}
	}
	if p.Org.Source != SourceFlag {
		org, err := pr.Select("Select organization", orgChoices(orgs), p.Org.V)
		if err != nil {
			return err
		}
		p.Org = Value[string]{org, SourcePrompt}
	}
	return nil
}

// Tweak lets the person change the name, organization, region and port.
func (p *Plan) Tweak(pr Prompter) error {
	name, err := pr.Input("App name", p.Name.V, ValidateAppName)
	if err != nil {
		return err
	}
	org, err := pr.Input("Organization", p.Org.V, ValidateOrgSlug)
	if err != nil {
		return err
	}
	region, err := pr.Input("Region", p.Region.V, nil)
	if err != nil {
		return err
	}
	port, err := pr.Input("Internal port", strconv.Itoa(p.InternalPort.V), validatePort)
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(port)
	p.Name, p.Org, p.Region = Value[string]{name, SourcePrompt}, Value[string]{org, SourcePrompt}, Value[string]{region, SourcePrompt}
	p.InternalPort = Value[int]{n, SourcePrompt}
	return p.Check()
}

func orgChoices(orgs []string) []string {
	if !slices.Contains(orgs, DefaultOrg) {
		orgs = append([]string{DefaultOrg}, orgs...)
	}
	return orgs
}

func validatePort(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return errPort(s)
	}
	return nil
}
