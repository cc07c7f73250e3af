"""Maps the `twoins` namespace onto the deployable folders (protos/, services/*, gateway/)."""

from setuptools import find_namespace_packages, setup

# Each root holds one part of the `twoins` namespace, so that every deployable keeps its
# own folder while all import as `twoins.<part>`.
PACKAGE_ROOTS = (
    "protos",
    "services/common",
    "services/node",
    "services/monitor",
    "services/cli",
    "gateway",
)

packages: list[str] = []
package_dir: dict[str, str] = {}
for root in PACKAGE_ROOTS:
    for package in find_namespace_packages(where=root, include=["twoins.*"]):
        packages.append(package)
        package_dir[package] = f"{root}/{package.replace('.', '/')}"

setup(packages=packages, package_dir=package_dir)
