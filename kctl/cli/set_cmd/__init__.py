"""kctl set: kubectl's ``set image|env|resources`` (``kubectl/pkg/cmd/set``).

Each subcommand changes the pod template of the objects it selects (through
``polymorphichelpers.UpdatePodSpecForObject``: pods, replication controllers, deployments,
daemon sets, replica sets, stateful sets, jobs and cron jobs), then writes only the objects
that changed: an object whose template comes out the same prints nothing, as kubectl skips
an empty (``{}``) patch. What upstream mirrors here:

- the objects are looked up first; a name that does not exist fails the whole command
  before anything is written (the builder's error comes out of ``Complete``);
- an object without a pod template is an error of its own
  (``error: services/web the object is not a pod or does not have a pod template: *v1.Service``),
  the others go on;
- errors are aggregated as ``cmdutil.CheckErr`` prints them: one error gets an ``error: ``
  prefix (unless it has one), several are printed one per line as they are;
- ``--local`` works on the ``-f`` files only, never asks the API server, and prints.

A write ends with the control-plane pass (``kctl.cli.dry_run``): ``set image`` on a
deployment shows its rolling update on stderr.
"""

from __future__ import annotations

from kctl.cli.metadata_edit import resources_and_pairs
from kctl.cli.set_cmd.common import (
    PatchError,
    parse_pairs,
    parse_resource_list,
    pod_spec_of,
    render_errors,
    select_containers,
    select_string,
    set_app,
    update_pod_templates,
    visit_objects,
    write,
)
from kctl.cli.set_cmd.env import (
    CONTEXT_SETTINGS,
    env,
    parse_env,
    split_environment_from_resources,
    update_env,
)
from kctl.cli.set_cmd.image import image
from kctl.cli.set_cmd.resources import resources
from kctl.cli.set_cmd.selector import parse_to_label_selector, selector_

# The subcommands in kubectl's order (``kctl set --help`` lists them so).
set_app.command("image")(image)
set_app.command("env", context_settings=CONTEXT_SETTINGS)(env)
set_app.command("resources")(resources)
set_app.command("selector")(selector_)

__all__ = [
    "set_app", "pod_spec_of", "select_string", "select_containers", "resources_and_pairs", "parse_pairs",
    "parse_env", "update_env", "split_environment_from_resources", "parse_resource_list", "render_errors",
    "update_pod_templates", "visit_objects", "write", "PatchError", "parse_to_label_selector",
]
