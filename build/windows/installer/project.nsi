Unicode true

####
## HubSpot Extractor's installer (wails build -nsis; scripts/dist.sh and the
## release workflow). Per user: no administrator rights, installed into
## %LOCALAPPDATA%\Programs\HubSpot Extractor, a Start-menu entry and a desktop
## shortcut, an uninstaller in "Apps and features"; the WebView2 runtime is
## installed first when it is missing. Silent with /S. The user's data
## (%APPDATA%\hubextract) is left alone by the uninstaller.
##
## wails_tools.nsh and tmp/ are written by `wails build -nsis` on every build
## (they are not committed). By hand, after one such build:
##   makensis -DARG_WAILS_AMD64_BINARY=..\..\bin\hubextract.exe project.nsi
####
# A 64-bit installer where this NSIS has the 64-bit stubs (Debian's nsis
# does; it then runs under a 64-bit-only wine too); the official Windows NSIS
# has only the 32-bit ones, which install the same 64-bit app.
!if /FileExists "${NSISDIR}\Stubs\zlib-amd64-unicode"
  Target amd64-unicode
!endif

!define PRODUCT_EXECUTABLE      "hubextract.exe"
!define UNINST_KEY_NAME         "HubSpotExtractor"
!define REQUEST_EXECUTION_LEVEL "user"
!define WAILS_INSTALL_SCOPE     "user"
!define INFO_COMPANYNAME        "HubSpot Extractor developers"
!define INFO_COPYRIGHT          "HubSpot Extractor developers"

!include "wails_tools.nsh"

# The version information for these two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

ManifestDPIAware true

!include "MUI.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${INFO_PRODUCTNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

## Signing happens in the release workflow, after the build.

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe"
InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
ShowInstDetails show

Function .onInit
   !insertmacro wails.checkArchitecture
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    CreateShortCut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    !insertmacro wails.writeUninstaller
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}" # WebView2's cache, not the user's data

    RMDir /r $INSTDIR

    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"

    !insertmacro wails.deleteUninstaller
SectionEnd
