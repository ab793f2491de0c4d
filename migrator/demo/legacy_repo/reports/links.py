"""Where each resource the plan reports read lives: one function per kind, built on one another."""
CONFIG_ROOT = "https://platform.segmentapis.com/v1beta"


def workspace_link(workspace="acme"):
    return f"{CONFIG_ROOT}/workspaces/{workspace}"


def plans_link(workspace="acme"):
    return workspace_link(workspace) + "/tracking-plans"
