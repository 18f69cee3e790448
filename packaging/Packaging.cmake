# `cpack -G DEB` in a build directory makes memlens_<version>_<arch>.deb from the install rules.
# Runtime dependencies come from dpkg-shlibdeps on the installed binaries.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME memlens)
set(CPACK_PACKAGE_VENDOR "The MemLens developers")
set(CPACK_PACKAGE_CONTACT "The MemLens developers <memlens@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "explorer for interpretable memory-based language models")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "explorer for interpretable memory-based language models\n MemLens trains memory-based (k-nearest-neighbour) language models - TiMBL's IB1,\n IGTree and TRIBL2, and an attention read over a vector memory - and shows why\n each token was predicted: neighbours, match and attention maps, tree paths and\n the corpus lines behind every memory. memlens-cli does the same headless and\n speaks TiMBL's file formats and flags.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(MEMLENS_BUILD_PYTHON)
  # The Python module (in /usr/lib/python3/dist-packages) returns batches as NumPy arrays and
  # traces as pandas frames on request; the rest of the package needs neither.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-numpy")
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-pandas")
endif()
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
include(CPack)
