"""segment-migrator as an all-repos autofixer (https://github.com/asottile/all-repos): the same
`migrate apply` run in every clone that calls the Config API, committed on a branch and pushed by
any all-repos push module (a GitHub pull request, or `migrator.allrepos.push_branch`).

all-repos is not a dependency of the toolkit: `pip install 'segment-migrator[fleet]'`.
"""
